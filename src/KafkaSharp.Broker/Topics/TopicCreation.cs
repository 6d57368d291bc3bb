using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Topics;

/// <summary>
/// A topic to create, as CreateTopics states it: -1 partitions or replication factor means the broker's default;
/// <see cref="Assignments"/> (partition → broker ids) replaces both. A null config value is refused (INVALID_CONFIG).
/// </summary>
public sealed record TopicCreation(
    string Name,
    int NumPartitions = -1,
    short ReplicationFactor = -1,
    IReadOnlyDictionary<int, IReadOnlyList<int>>? Assignments = null,
    IReadOnlyDictionary<string, string?>? Configs = null);

/// <summary>The outcome of a creation (or its validation): the error, or the topic and its effective config.</summary>
public sealed record TopicCreationResult(ErrorCode Error, string? Message, TopicState? Topic, TopicConfig? Config)
{
    public static TopicCreationResult Failed(ErrorCode error, string message) => new(error, message, null, null);

    public int NumPartitions => Topic?.Partitions.Count ?? -1;

    public short ReplicationFactor => Topic is { Partitions.Count: > 0 } t ? (short)t.Partitions[0].Replicas.Count : (short)-1;
}
