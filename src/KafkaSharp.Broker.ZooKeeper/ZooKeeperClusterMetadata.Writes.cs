using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Broker.ZooKeeper;

public sealed partial class ZooKeeperClusterMetadata
{
    /// <summary>
    /// AdminZkClient.createTopicWithAssignment: the config znode first, then the assignment (with a new topic id) —
    /// here in one multi, so a failed create leaves nothing behind. The controller writes the partition states.
    /// </summary>
    public async ValueTask<TopicState> CreateTopicAsync(
        string name,
        IReadOnlyList<IReadOnlyList<int>> assignment,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ZooKeeperClient zk = _session.Client;
        if (await zk.ExistsAsync(ZkPaths.DeleteTopic(name), cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KafkaApiException(ErrorCode.TopicAlreadyExists, $"Topic '{name}' is marked for deletion.");
        }

        Guid topicId = KafkaUuid.NewId();
        byte[] topicData = TopicZNode.Encode(TopicAssignment.Create(topicId, assignment));
        byte[] configData = ConfigZNode.Encode(configs);
        bool configExists = await zk.ExistsAsync(ZkPaths.TopicConfig(name), cancellationToken).ConfigureAwait(false) is not null;
        try
        {
            await zk.MultiAsync(
            [
                configExists ? ZooKeeperOp.SetData(ZkPaths.TopicConfig(name), configData) : ZooKeeperOp.Create(ZkPaths.TopicConfig(name), configData),
                ZooKeeperOp.Create(ZkPaths.Topic(name), topicData),
            ], cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException e) when (e.Code == ZooKeeperErrorCode.NodeExists && e.FailedOperationIndex == 1)
        {
            throw new KafkaApiException(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }

        ClusterImage image = await WaitForAsync(
            i => i.TryGetTopic(name, out TopicState? t) && t.TopicId == topicId && AllLed(t, assignment.Count),
            $"topic '{name}'", cancellationToken).ConfigureAwait(false);
        return image.TopicsByName[name];
    }

    /// <summary>Like Kafka's DeleteTopics in ZooKeeper mode: mark /admin/delete_topics/&lt;t&gt;, the controller deletes it.</summary>
    public async ValueTask DeleteTopicAsync(Guid topicId, CancellationToken cancellationToken = default)
    {
        TopicState topic = Require(Current, topicId);
        try
        {
            await _session.Client.CreateAsync(ZkPaths.DeleteTopic(topic.Name), ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NodeExistsException)
        {
            // Already being deleted.
        }

        await WaitForAsync(i => !i.TopicsById.ContainsKey(topicId), $"deletion of topic '{topic.Name}'", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>AdminZkClient.addPartitions: the assignment grows (compare-and-set on its version); the controller initialises them.</summary>
    public async ValueTask<TopicState> AddPartitionsAsync(
        Guid topicId,
        IReadOnlyList<IReadOnlyList<int>> newPartitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPartitions);
        TopicState topic = Require(Current, topicId);
        ZooKeeperClient zk = _session.Client;
        ZNodeData data = await zk.GetDataAsync(ZkPaths.Topic(topic.Name), cancellationToken).ConfigureAwait(false);
        TopicAssignment assignment = TopicZNode.Decode(topic.Name, data.Data);
        if (assignment.AddingReplicas.Count > 0 || assignment.RemovingReplicas.Count > 0)
        {
            throw new KafkaApiException(ErrorCode.ReassignmentInProgress, $"A partition reassignment is in progress for topic '{topic.Name}'.");
        }

        var partitions = new Dictionary<int, IReadOnlyList<int>>(assignment.Partitions);
        int total = partitions.Count + newPartitions.Count;
        foreach (IReadOnlyList<int> replicas in newPartitions)
        {
            partitions[partitions.Count] = replicas;
        }

        try
        {
            await zk.SetDataAsync(ZkPaths.Topic(topic.Name), TopicZNode.Encode(assignment with { Partitions = partitions }), data.Stat.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (BadVersionException)
        {
            throw new KafkaApiException(ErrorCode.InvalidPartitions,
                $"Topic '{topic.Name}' changed while adding partitions; retry.");
        }

        ClusterImage image = await WaitForAsync(
            i => i.TryGetTopic(topicId, out TopicState? t) && AllLed(t, total),
            $"new partitions of '{topic.Name}'", cancellationToken).ConfigureAwait(false);
        return image.TopicsById[topicId];
    }

    /// <summary>
    /// Whether the topic shows all its partitions with a leader: when Kafka's CreateTopics/CreatePartitions answer
    /// (DelayedCreatePartitions), so a client can produce at once. A count alone is not enough: a LeaderAndIsr for a
    /// later partition can arrive before the UpdateMetadata that tells of the earlier ones, which show leaderless meanwhile.
    /// </summary>
    private static bool AllLed(TopicState topic, int partitions) =>
        topic.Partitions.Count == partitions && topic.Partitions.All(p => p.Leader >= 0);

    public async ValueTask<TopicState> SetTopicConfigsAsync(
        Guid topicId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        TopicState topic = Require(Current, topicId);
        await WriteConfigAsync(ZkPaths.TopicConfig(topic.Name), $"topics/{topic.Name}", configs, cancellationToken).ConfigureAwait(false);
        ClusterImage image = await WaitForAsync(
            i => i.TryGetTopic(topicId, out TopicState? t) && SameConfigs(t.Configs, configs),
            $"configs of topic '{topic.Name}'", cancellationToken).ConfigureAwait(false);
        return image.TopicsById[topicId];
    }

    public async ValueTask SetBrokerConfigsAsync(
        int? brokerId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        string entity = brokerId is { } id ? id.ToString(CultureInfo.InvariantCulture) : ZkPaths.DefaultBrokerEntity;
        await WriteConfigAsync(ZkPaths.BrokerConfig(brokerId), $"brokers/{entity}", configs, cancellationToken).ConfigureAwait(false);
        await WaitForAsync(i => SameConfigs(i.BrokerConfigs.For(brokerId), configs), $"configs of broker {entity}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>AdminZkClient.changeEntityConfig: write the entity, then a sequential change notification for every broker.</summary>
    private async Task WriteConfigAsync(string path, string entityPath, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken)
    {
        ZooKeeperClient zk = _session.Client;
        byte[] data = ConfigZNode.Encode(configs);
        try
        {
            await zk.SetDataAsync(path, data, -1, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            await zk.CreateAsync(path, data, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await zk.CreateAsync(ZkPaths.ConfigChangePrefix, ConfigChangeNotificationZNode.Encode(entityPath), CreateMode.PersistentSequential, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool SameConfigs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    private static TopicState Require(ClusterImage image, Guid topicId) =>
        image.TryGetTopic(topicId, out TopicState? topic)
            ? topic
            : throw new KafkaApiException(ErrorCode.UnknownTopicId, $"Topic id {KafkaUuid.ToString(topicId)} does not exist.");
}
