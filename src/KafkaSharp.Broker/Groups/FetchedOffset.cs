using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Groups;

/// <summary>One partition of an OffsetFetch answer: the committed offset (-1 when none) or an error.</summary>
public readonly record struct FetchedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string Metadata, ErrorCode Error);
