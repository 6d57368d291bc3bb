using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// An immutable snapshot of the cluster: read it without locks, keep it for a whole request so the answer is
/// consistent, and take <see cref="IClusterMetadata.Current"/> again for the next one.
/// </summary>
public sealed class ClusterImage
{
    public ClusterImage(
        string clusterId,
        int controllerId,
        IReadOnlyList<BrokerNode> brokers,
        IEnumerable<TopicState> topics,
        DynamicBrokerConfigs? brokerConfigs = null)
    {
        ClusterId = clusterId;
        BrokerConfigs = brokerConfigs ?? DynamicBrokerConfigs.Empty;
        ControllerId = controllerId;
        Brokers = brokers;
        TopicsByName = topics.ToImmutableSortedDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        TopicsById = TopicsByName.Values.ToImmutableDictionary(t => t.TopicId);
    }

    /// <summary>Kafka's 22-character base64 cluster id.</summary>
    public string ClusterId { get; }

    /// <summary>The controller broker's id, -1 when there is none.</summary>
    public int ControllerId { get; }

    /// <summary>The live brokers.</summary>
    public IReadOnlyList<BrokerNode> Brokers { get; }

    public ImmutableSortedDictionary<string, TopicState> TopicsByName { get; }

    /// <summary>Broker configs set at runtime (per broker and cluster-wide default).</summary>
    public DynamicBrokerConfigs BrokerConfigs { get; }

    public ImmutableDictionary<Guid, TopicState> TopicsById { get; }

    public bool TryGetTopic(string name, [NotNullWhen(true)] out TopicState? topic) => TopicsByName.TryGetValue(name, out topic);

    public bool TryGetTopic(Guid topicId, [NotNullWhen(true)] out TopicState? topic) => TopicsById.TryGetValue(topicId, out topic);

    public BrokerNode? GetBroker(int id)
    {
        foreach (BrokerNode broker in Brokers)
        {
            if (broker.Id == id)
            {
                return broker;
            }
        }

        return null;
    }
}
