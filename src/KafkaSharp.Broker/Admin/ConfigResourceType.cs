namespace KafkaSharp.Broker.Admin;

/// <summary>The resource_type ids of DescribeConfigs / AlterConfigs / IncrementalAlterConfigs (Kafka's ConfigResource.Type).</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
    ClientMetrics = 16,
    Group = 32,
}
