namespace KafkaSharp.Broker.Configuration;

/// <summary>Typed values for the storage engine's log configuration.</summary>
public sealed partial class TopicConfig
{
    public int SegmentBytes => (int)Get("segment.bytes")!;

    public long SegmentMs => (long)Get("segment.ms")!;

    public long SegmentJitterMs => (long)Get("segment.jitter.ms")!;

    public int SegmentIndexBytes => (int)Get("segment.index.bytes")!;

    public long FlushMessages => (long)Get("flush.messages")!;

    public long FlushMs => (long)Get("flush.ms")!;

    /// <summary>-1: no size limit.</summary>
    public long RetentionBytes => (long)Get("retention.bytes")!;

    /// <summary>-1: no time limit.</summary>
    public long RetentionMs => (long)Get("retention.ms")!;

    /// <summary>-2: same as <see cref="RetentionBytes"/>.</summary>
    public long LocalRetentionBytes => (long)Get("local.retention.bytes")!;

    /// <summary>-2: same as <see cref="RetentionMs"/>.</summary>
    public long LocalRetentionMs => (long)Get("local.retention.ms")!;

    public int MaxMessageBytes => (int)Get("max.message.bytes")!;

    public int IndexIntervalBytes => (int)Get("index.interval.bytes")!;

    public long DeleteRetentionMs => (long)Get("delete.retention.ms")!;

    public long MinCompactionLagMs => (long)Get("min.compaction.lag.ms")!;

    public long MaxCompactionLagMs => (long)Get("max.compaction.lag.ms")!;

    public long FileDeleteDelayMs => (long)Get("file.delete.delay.ms")!;

    public double MinCleanableDirtyRatio => (double)Get("min.cleanable.dirty.ratio")!;

    /// <summary>Any of "delete" and "compact" (possibly both, possibly neither).</summary>
    public IReadOnlyList<string> CleanupPolicy => (IReadOnlyList<string>)Get("cleanup.policy")!;

    public bool IsCompacted => CleanupPolicy.Contains("compact");

    public bool IsDeleteEnabled => CleanupPolicy.Contains("delete");

    public int MinInsyncReplicas => (int)Get("min.insync.replicas")!;

    public bool UncleanLeaderElectionEnable => (bool)Get("unclean.leader.election.enable")!;

    /// <summary>uncompressed, zstd, lz4, snappy, gzip, or producer (keep the producer's codec).</summary>
    public string CompressionType => (string)Get("compression.type")!;

    public int CompressionGzipLevel => (int)Get("compression.gzip.level")!;

    public int CompressionLz4Level => (int)Get("compression.lz4.level")!;

    public int CompressionZstdLevel => (int)Get("compression.zstd.level")!;

    public bool Preallocate => (bool)Get("preallocate")!;

    public string MessageFormatVersion => (string)Get("message.format.version")!;

    public MessageTimestampType MessageTimestampType =>
        (string)Get("message.timestamp.type")! == "LogAppendTime" ? MessageTimestampType.LogAppendTime : MessageTimestampType.CreateTime;

    /// <summary>How far in the past a record's timestamp may be; message.timestamp.difference.max.ms when unset.</summary>
    public long MessageTimestampBeforeMaxMs => TimestampLimitOrDifference("message.timestamp.before.max.ms");

    /// <summary>How far in the future a record's timestamp may be; message.timestamp.difference.max.ms when unset.</summary>
    public long MessageTimestampAfterMaxMs => TimestampLimitOrDifference("message.timestamp.after.max.ms");

    public bool MessageDownConversionEnable => (bool)Get("message.downconversion.enable")!;

    public bool RemoteStorageEnable => (bool)Get("remote.storage.enable")!;

    public IReadOnlyList<string> LeaderReplicationThrottledReplicas => (IReadOnlyList<string>)Get("leader.replication.throttled.replicas")!;

    public IReadOnlyList<string> FollowerReplicationThrottledReplicas => (IReadOnlyList<string>)Get("follower.replication.throttled.replicas")!;

    private long TimestampLimitOrDifference(string name)
    {
        var limit = (long)Get(name)!;
        return limit != long.MaxValue ? limit : (long)Get("message.timestamp.difference.max.ms")!;
    }
}
