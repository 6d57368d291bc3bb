using System.Text.Json.Serialization;

namespace KafkaSharp.Broker.Cluster;

/// <summary>The embedded metadata file's content: topics with their ids, assignments, epochs and config overrides, and dynamic broker configs.</summary>
internal sealed class StoredClusterState
{
    public int Version { get; set; } = 1;

    public List<StoredTopic> Topics { get; set; } = [];

    /// <summary>Dynamic broker configs by entity: a broker id, or "&lt;default&gt;" for the cluster-wide defaults.</summary>
    public Dictionary<string, Dictionary<string, string>> BrokerConfigs { get; set; } = [];

    /// <summary>The last producer id block claimed (Kafka keeps it in /latest_producer_id_block); null before the first.</summary>
    public StoredProducerIdBlock? LatestProducerIdBlock { get; set; }
}

internal sealed class StoredProducerIdBlock
{
    public int Broker { get; set; }

    public long BlockStart { get; set; }

    public long BlockEnd { get; set; }
}

internal sealed class StoredTopic
{
    public string Name { get; set; } = "";

    /// <summary>Kafka's base64 text form of the topic id.</summary>
    public string Id { get; set; } = "";

    public List<StoredPartition> Partitions { get; set; } = [];

    public Dictionary<string, string> Configs { get; set; } = [];
}

internal sealed class StoredPartition
{
    public List<int> Replicas { get; set; } = [];

    public int LeaderEpoch { get; set; }

    public int PartitionEpoch { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredClusterState))]
internal sealed partial class StoredClusterStateContext : JsonSerializerContext;
