namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// A topic as the cluster knows it: name, id (KIP-516), partitions indexed by partition number, and the topic's
/// config overrides (only what was set; defaults come from the broker config).
/// </summary>
public sealed record TopicState(
    string Name,
    Guid TopicId,
    IReadOnlyList<PartitionState> Partitions,
    IReadOnlyDictionary<string, string> Configs)
{
    public bool IsInternal => InternalTopics.IsInternal(Name);
}
