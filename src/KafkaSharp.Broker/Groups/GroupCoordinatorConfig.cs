using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Groups;

/// <summary>The broker settings the group coordinator reads (Kafka's GroupConfig and OffsetConfig).</summary>
public sealed record GroupCoordinatorConfig(
    int MinSessionTimeoutMs,
    int MaxSessionTimeoutMs,
    int MaxSize,
    int InitialRebalanceDelayMs,
    int OffsetMetadataMaxBytes,
    long OffsetsRetentionMs,
    long OffsetsRetentionCheckIntervalMs,
    int OffsetsTopicNumPartitions,
    int OffsetsTopicCompressionCodec,
    int OffsetsLoadBufferSize)
{
    public static GroupCoordinatorConfig From(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GroupCoordinatorConfig(
            config.GroupMinSessionTimeoutMs,
            config.GroupMaxSessionTimeoutMs,
            config.GroupMaxSize,
            config.GroupInitialRebalanceDelayMs,
            config.GetInt("offset.metadata.max.bytes"),
            config.OffsetsRetentionMinutes * 60_000L,
            config.OffsetsRetentionCheckIntervalMs,
            config.OffsetsTopicNumPartitions,
            config.GetInt("offsets.topic.compression.codec"),
            config.GetInt("offsets.load.buffer.size"));
    }
}
