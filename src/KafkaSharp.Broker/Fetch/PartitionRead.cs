using KafkaSharp.Protocol;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// What reading one partition gave: an error, or whole batches as a file slice (not yet copied) with the log's
/// bounds at the time. A diverging epoch (KIP-320/595) replaces records when the client's last fetched epoch ends
/// before its fetch offset.
/// </summary>
public readonly record struct PartitionRead(
    ErrorCode Error,
    FileSlice Records,
    long HighWatermark,
    long LastStableOffset,
    long LogStartOffset,
    int DivergingEpoch = -1,
    long DivergingEndOffset = -1)
{
    public static PartitionRead Failed(ErrorCode error) => new(error, FileSlice.Empty, -1, -1, -1);

    public bool HasDivergingEpoch => DivergingEpoch >= 0;
}
