using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Protocol;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// Reads fetch partitions from their logs as Kafka's ReplicaManager.readFromLog: consumers read up to the high
/// watermark (read_committed up to the last stable offset, which equals the high watermark until transactions
/// land); max_bytes bounds the whole response and partition_max_bytes each partition, but the first batch found is
/// always returned whole (KIP-74) from v3 on; before v3 limits are hard.
/// </summary>
public sealed class LogReader
{
    private readonly ReplicaManager _replicas;

    public LogReader(ReplicaManager replicas) => _replicas = replicas;

    public PartitionRead[] ReadAll(IReadOnlyList<FetchPartitionState> partitions, int maxBytes, short version)
    {
        var reads = new PartitionRead[partitions.Count];
        int remaining = maxBytes;
        bool minOneBatch = version >= 3;
        for (int i = 0; i < partitions.Count; i++)
        {
            reads[i] = Read(partitions[i], Math.Min(Math.Max(0, partitions[i].MaxBytes), Math.Max(0, remaining)), minOneBatch, version);
            int length = reads[i].Records.Length;
            if (length > 0)
            {
                remaining -= length;
                minOneBatch = false;
            }
        }

        return reads;
    }

    /// <summary>Bytes available to the partition's fetch right now, up to <paramref name="limit"/>; -1 when it would answer an error.</summary>
    public int Available(FetchPartitionState partition, int limit, short version)
    {
        PartitionRead read = Read(partition, limit, minOneBatch: true, version);
        return read.Error != ErrorCode.None || read.HasDivergingEpoch ? -1 : read.Records.Length;
    }

    private PartitionRead Read(FetchPartitionState partition, int limit, bool minOneBatch, short version)
    {
        FetchKey key = partition.Key;
        HostedPartition? hosted;
        ErrorCode error = version >= 13
            ? _replicas.TryGetLeader(key.TopicId, key.Partition, partition.CurrentLeaderEpoch, out hosted)
            : _replicas.TryGetLeader(key.Topic, key.Partition, partition.CurrentLeaderEpoch, out hosted);
        if (hosted is null)
        {
            return PartitionRead.Failed(error == ErrorCode.None ? ErrorCode.UnknownTopicOrPartition : error);
        }

        partition.TopicName = hosted.Topic.Name;
        PartitionLog log = hosted.Log;
        try
        {
            if (partition.LastFetchedEpoch >= 0 && version >= 12 && Diverging(log, partition) is { } diverging)
            {
                return new PartitionRead(ErrorCode.None, default, log.HighWatermark, log.HighWatermark, log.LogStartOffset, diverging.Epoch, diverging.EndOffset);
            }

            long highWatermark = log.HighWatermark;
            LogReadResult result = log.Read(partition.FetchOffset, limit, highWatermark, minOneBatch);
            return new PartitionRead(ErrorCode.None, result.Records, highWatermark, highWatermark, result.LogStartOffset);
        }
        catch (StorageException e)
        {
            return PartitionRead.Failed((ErrorCode)(short)e.ErrorCode);
        }
    }

    /// <summary>
    /// KIP-320/595: when the epoch the client last fetched ends (here) before its fetch offset, or is unknown to us,
    /// its log diverged from ours: tell it where that epoch ends so it can truncate.
    /// </summary>
    private static (int Epoch, long EndOffset)? Diverging(PartitionLog log, FetchPartitionState partition)
    {
        (int epoch, long endOffset) = log.LeaderEpochs.EndOffsetFor(partition.LastFetchedEpoch, log.LogEndOffset);
        return epoch < partition.LastFetchedEpoch || endOffset < partition.FetchOffset ? (epoch, endOffset) : null;
    }
}
