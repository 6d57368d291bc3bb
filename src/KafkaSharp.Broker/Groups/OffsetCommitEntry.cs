namespace KafkaSharp.Broker.Groups;

/// <summary>One partition of an OffsetCommit, as the coordinator takes it (after the handler's topic checks).</summary>
/// <param name="LeaderEpoch">-1 when none was sent.</param>
/// <param name="Metadata">Null is stored as "" (Kafka's NoMetadata).</param>
/// <param name="CommitTimestamp">-1: now (only v1 sends one).</param>
public readonly record struct OffsetCommitEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestamp);
