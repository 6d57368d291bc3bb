using System.Text.Json;
using KafkaSharp.Broker.Cluster;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// A topic's replica assignment as /brokers/topics/&lt;topic&gt; holds it: replicas per partition (first = preferred
/// leader), the topic id (KIP-516) and replicas being added or removed by a reassignment (KIP-455).
/// </summary>
public sealed record TopicAssignment(
    Guid? TopicId,
    IReadOnlyDictionary<int, IReadOnlyList<int>> Partitions,
    IReadOnlyDictionary<int, IReadOnlyList<int>> AddingReplicas,
    IReadOnlyDictionary<int, IReadOnlyList<int>> RemovingReplicas)
{
    public static TopicAssignment Create(Guid topicId, IReadOnlyList<IReadOnlyList<int>> replicas) =>
        new(topicId, replicas.Select((r, i) => (r, i)).ToDictionary(p => p.i, p => p.r), Empty, Empty);

    private static IReadOnlyDictionary<int, IReadOnlyList<int>> Empty { get; } = new Dictionary<int, IReadOnlyList<int>>();

    /// <summary>The replicas of partition 0..n-1, or null when the numbering has a gap (a malformed assignment).</summary>
    public IReadOnlyList<IReadOnlyList<int>>? InOrder()
    {
        var result = new IReadOnlyList<int>[Partitions.Count];
        foreach ((int partition, IReadOnlyList<int> replicas) in Partitions)
        {
            if (partition < 0 || partition >= result.Length)
            {
                return null;
            }

            result[partition] = replicas;
        }

        return result;
    }
}

/// <summary>
/// /brokers/topics/&lt;topic&gt;, version 3 (TopicZNode):
/// <c>{"partitions":{"0":[1,2]},"topic_id":"&lt;base64url&gt;","adding_replicas":{},"removing_replicas":{},"version":3}</c>.
/// Versions 1 and 2 (no topic id, no reassignment fields) are read too.
/// </summary>
public static class TopicZNode
{
    public static byte[] Encode(TopicAssignment assignment) => ZkJson.Write(w =>
    {
        ZkJson.WriteReplicaMap(w, "partitions", assignment.Partitions);
        if (assignment.TopicId is { } id)
        {
            w.WriteString("topic_id", KafkaUuid.ToString(id));
        }

        ZkJson.WriteReplicaMap(w, "adding_replicas", assignment.AddingReplicas);
        ZkJson.WriteReplicaMap(w, "removing_replicas", assignment.RemovingReplicas);
        w.WriteNumber("version", 3);
    });

    public static TopicAssignment Decode(string topic, ReadOnlySpan<byte> data) =>
        ZkJson.Read(ZkPaths.Topic(topic), data, root =>
        {
            Guid? id = root.TryGetProperty("topic_id", out JsonElement idText) && idText.ValueKind == JsonValueKind.String
                ? KafkaUuid.Parse(idText.GetString()!)
                : null;
            return new TopicAssignment(
                id,
                ZkJson.ReadReplicaMap(ZkJson.Required(root, "partitions")),
                root.TryGetProperty("adding_replicas", out JsonElement adding) ? ZkJson.ReadReplicaMap(adding) : [],
                root.TryGetProperty("removing_replicas", out JsonElement removing) ? ZkJson.ReadReplicaMap(removing) : []);
        });
}
