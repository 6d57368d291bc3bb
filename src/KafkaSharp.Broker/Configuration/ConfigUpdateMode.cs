namespace KafkaSharp.Broker.Configuration;

/// <summary>How a broker config may change while the broker runs ("Update Mode" in Kafka's broker-configs page).</summary>
public enum ConfigUpdateMode
{
    /// <summary>Needs a restart; DescribeConfigs reports it read-only.</summary>
    ReadOnly,

    /// <summary>Can be altered for one broker at a time.</summary>
    PerBroker,

    /// <summary>Can be altered for one broker or as the cluster-wide default.</summary>
    ClusterWide,
}
