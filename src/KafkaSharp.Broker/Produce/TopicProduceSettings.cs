using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Broker.Produce;

/// <summary>
/// A topic's effective settings that a produce needs: min.insync.replicas for acks=-1, and the codec its batches are
/// stored in (<see cref="TargetCompression"/> null for <c>compression.type=producer</c>: kept as produced).
/// </summary>
public sealed record TopicProduceSettings(BrokerConfig BrokerConfig, int MinInsyncReplicas, CompressionType? TargetCompression)
{
    public static TopicProduceSettings From(TopicConfig topic, BrokerConfig broker) =>
        new(broker, topic.MinInsyncReplicas, CodecFor(topic.CompressionType));

    /// <summary>Maps Kafka's compression.type values (validated by the topic config catalog) to a codec.</summary>
    public static CompressionType? CodecFor(string compressionType) => compressionType switch
    {
        "producer" => null,
        "uncompressed" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compressionType), compressionType, "Not a Kafka compression.type."),
    };
}
