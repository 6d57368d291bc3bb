namespace KafkaSharp.Broker.Groups;

/// <summary>
/// A committed offset (Kafka's OffsetAndMetadata) and where its record sits in <c>__consumer_offsets</c>
/// (<see cref="RecordOffset"/>, -1 until appended), which orders commits that raced to the log.
/// </summary>
/// <param name="LeaderEpoch">-1 when the client sent none.</param>
/// <param name="ExpireTimestamp">-1 unless an OffsetCommit v2–v4 asked for its own retention (old expiry semantics).</param>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestamp, long ExpireTimestamp = -1, long RecordOffset = -1);

/// <summary>A topic partition a group committed an offset for.</summary>
public readonly record struct GroupTopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}-{Partition}";
}
