namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Where a config value came from. The numbers are the ConfigSource ids of DescribeConfigs v1+ (KIP-226),
/// so they can be written to the wire unchanged.
/// </summary>
public enum ConfigSource : byte
{
    Unknown = 0,

    /// <summary>A topic-level override (Kafka's TOPIC_CONFIG, shown by admin clients as DYNAMIC_TOPIC_CONFIG).</summary>
    DynamicTopicConfig = 1,

    /// <summary>Set dynamically for this one broker.</summary>
    DynamicBrokerConfig = 2,

    /// <summary>Set dynamically as the cluster-wide default for all brokers.</summary>
    DynamicDefaultBrokerConfig = 3,

    /// <summary>Set in server.properties or with <c>--override</c>.</summary>
    StaticBrokerConfig = 4,

    /// <summary>Nobody set it: Kafka's default.</summary>
    DefaultConfig = 5,

    DynamicBrokerLoggerConfig = 6,
    ClientMetricsConfig = 7,
}
