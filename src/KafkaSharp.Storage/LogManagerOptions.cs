using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Producers;

namespace KafkaSharp.Storage;

/// <summary>Broker-level storage settings, with Kafka's names and defaults.</summary>
public sealed record LogManagerOptions
{
    /// <summary>broker.id, written to meta.properties; a log dir owned by another broker id is refused.</summary>
    public int BrokerId { get; init; }

    /// <summary>The cluster id recorded in meta.properties, when known.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The config for each topic's logs (topic-level overrides); defaults to the broker default.</summary>
    public Func<string, LogConfig>? TopicConfig { get; init; }

    /// <summary>log.retention.check.interval.ms.</summary>
    public long RetentionCheckIntervalMs { get; init; } = 300_000;

    /// <summary>log.flush.scheduler.interval.ms (how often flush.ms is checked).</summary>
    public long FlushCheckIntervalMs { get; init; } = long.MaxValue;

    /// <summary>log.flush.offset.checkpoint.interval.ms and log.flush.start.offset.checkpoint.interval.ms.</summary>
    public long CheckpointIntervalMs { get; init; } = 60_000;

    /// <summary>log.cleaner.enable.</summary>
    public bool CleanerEnabled { get; init; } = true;

    /// <summary>producer.id.expiration.ms (shared by every log; the broker updates it when the dynamic config changes).</summary>
    public ProducerStateOptions ProducerState { get; init; } = new();

    /// <summary>producer.id.expiration.check.interval.ms: how often idle producers are expired.</summary>
    public long ProducerIdExpirationCheckIntervalMs { get; init; } = 600_000;

    /// <summary>log.cleaner.backoff.ms: the cleaner's sleep when nothing needs cleaning.</summary>
    public long CleanerBackoffMs { get; init; } = 15_000;
}
