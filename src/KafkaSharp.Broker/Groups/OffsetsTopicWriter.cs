using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// Appends the coordinator's records to a <c>__consumer_offsets</c> partition through the same leader look-up and
/// log append Produce uses, compressed with <c>offsets.topic.compression.codec</c>. The append is synchronous (the
/// log writes to the page cache and flushes on its own schedule), so callers hold no lock while calling it.
/// </summary>
/// <remarks>
/// With the ISR exactly {this broker} an appended record is committed at once (the high watermark moves with the
/// append). Waiting for followers (offsets.commit.required.acks=-1 with replicas) belongs to the replication work.
/// </remarks>
internal sealed class OffsetsTopicWriter(ReplicaManager replicas, Func<int> compressionCodec)
{
    /// <summary>Appends one batch; returns the log offset of its first record, or the error mapped as Kafka maps it.</summary>
    public ErrorCode Append(int partition, IReadOnlyList<(byte[] Key, byte[]? Value)> records, bool isOffsetCommit, out long firstOffset)
    {
        firstOffset = -1;
        if (records.Count == 0)
        {
            return ErrorCode.None;
        }

        ErrorCode error = replicas.TryGetLeader(InternalTopics.ConsumerOffsets, partition, -1, out HostedPartition? hosted);
        if (error != ErrorCode.None || hosted is null)
        {
            return MapAppendError(error == ErrorCode.None ? ErrorCode.NotLeaderOrFollower : error, isOffsetCommit);
        }

        long now = replicas.Time.GetUtcNow().ToUnixTimeMilliseconds();
        using var builder = new RecordBatchBuilder { Compression = Codec(compressionCodec()) };
        foreach ((byte[] key, byte[]? value) in records)
        {
            builder.Append(now, key, value);
        }

        using var buffer = new PooledBufferWriter();
        builder.WriteTo(buffer);
        try
        {
            AppendResult appended = hosted.Log.Append(buffer.WrittenSpanMutable, hosted.State.LeaderEpoch);
            firstOffset = appended.FirstOffset;
        }
        catch (StorageException e)
        {
            return MapAppendError((ErrorCode)(short)e.ErrorCode, isOffsetCommit);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The log went offline or closed (shutdown) under us: another broker will coordinate.
            return MapAppendError(ErrorCode.KafkaStorageError, isOffsetCommit);
        }

        replicas.OnAppended(hosted);
        return ErrorCode.None;
    }

    /// <summary>Kafka's GroupMetadataManager error mapping for failed appends, so clients retry the right way.</summary>
    public static ErrorCode MapAppendError(ErrorCode error, bool isOffsetCommit) => error switch
    {
        ErrorCode.None => ErrorCode.None,
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError => ErrorCode.NotCoordinator,
        ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidFetchSize =>
            isOffsetCommit ? ErrorCode.InvalidCommitOffsetSize : ErrorCode.UnknownServerError,
        _ => isOffsetCommit ? error : ErrorCode.UnknownServerError,
    };

    /// <summary>offsets.topic.compression.codec: Kafka's codec ids (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).</summary>
    private static CompressionType Codec(int id) => id is >= 0 and <= 4 ? (CompressionType)id : CompressionType.None;
}
