using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Config;

/// <summary>
/// A partition log's topic-level configuration with Kafka's names (in comments) and defaults. Immutable: the broker
/// updates a log live by handing it a new instance (<see cref="Log.PartitionLog.UpdateConfig"/>).
/// </summary>
public sealed record LogConfig
{
    public static LogConfig Default { get; } = new();

    /// <summary>segment.bytes: roll when the active segment would grow past this.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>segment.ms: roll when the active segment's first batch is this old.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>index.interval.bytes: bytes of log between two offset-index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>segment.index.bytes: preallocated size of each index; a full index rolls the segment.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>retention.ms: -1 keeps segments forever.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>retention.bytes: -1 means no size limit.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>cleanup.policy.</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary>max.message.bytes: the largest record batch accepted.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary>message.timestamp.type.</summary>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary>message.timestamp.before.max.ms (KIP-937): how far in the past a CreateTime may be.</summary>
    public long MessageTimestampBeforeMaxMs { get; init; } = long.MaxValue;

    /// <summary>message.timestamp.after.max.ms (KIP-937): how far in the future a CreateTime may be.</summary>
    public long MessageTimestampAfterMaxMs { get; init; } = long.MaxValue;

    /// <summary>delete.retention.ms: how long a tombstone survives once compacted.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>min.cleanable.dirty.ratio.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary>min.compaction.lag.ms: records younger than this are never compacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary>flush.messages: fsync after this many messages (batches here) since the last flush.</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary>flush.ms: fsync when the last flush is this old.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary>file.delete.delay.ms: deleted segments stay readable (renamed <c>.deleted</c>) this long.</summary>
    public long FileDeleteDelayMs { get; init; } = 60000;

    /// <summary>preallocate: size the active segment's log file up front.</summary>
    public bool Preallocate { get; init; }

    public bool IsCompacted => (CleanupPolicy & CleanupPolicy.Compact) != 0;

    public bool IsDeleteEnabled => (CleanupPolicy & CleanupPolicy.Delete) != 0;

    /// <summary>
    /// Builds a config from Kafka property names (e.g. from topic configs); unknown names are ignored because other
    /// layers (the broker) own them. Values that do not parse or are out of range throw <see cref="ArgumentException"/>.
    /// </summary>
    public static LogConfig FromProperties(IEnumerable<KeyValuePair<string, string>> properties, LogConfig? defaults = null) =>
        LogConfigProperties.Apply(defaults ?? Default, properties);
}
