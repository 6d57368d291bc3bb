using KafkaSharp.Protocol;
using KafkaSharp.Broker.Producers;
using KafkaSharp.Storage.Checkpoints;

namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// Cluster metadata for a broker that is its own cluster: it is the only live broker, the controller, and the leader
/// of every partition (a replica on another broker id is shown offline). The topics are kept in
/// <c>cluster-metadata.json</c> in the first log dir, replaced atomically on each change; the cluster id lives in
/// every log dir's meta.properties next to broker.id, generated once.
/// </summary>
public sealed partial class LocalClusterMetadata : IClusterMetadata, IProducerIdBlockSource, IDisposable
{
    public const string FileName = "cluster-metadata.json";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _path;
    private readonly BrokerNode _self;
    private ClusterImage _current;
    private ProducerIdBlock? _latestProducerIdBlock;

    private LocalClusterMetadata(string path, BrokerNode self, string clusterId, IEnumerable<TopicState> topics, DynamicBrokerConfigs brokerConfigs,
        ProducerIdBlock? latestProducerIdBlock)
    {
        _path = path;
        _latestProducerIdBlock = latestProducerIdBlock;
        _self = self;
        _current = new ClusterImage(clusterId, self.Id, [self], topics, brokerConfigs);
    }

    public ClusterImage Current => Volatile.Read(ref _current);

    public event Action<ClusterImage, ClusterImage>? Changed;

    public void Dispose() => _writeLock.Dispose();

    /// <summary>
    /// Opens (or starts) the metadata in <paramref name="logDirs"/>: reads or generates the cluster id, checks every
    /// dir belongs to this broker and cluster, writes meta.properties where missing and loads the topics.
    /// </summary>
    public static LocalClusterMetadata Open(IReadOnlyList<string> logDirs, BrokerNode self)
    {
        ArgumentNullException.ThrowIfNull(logDirs);
        ArgumentNullException.ThrowIfNull(self);
        if (logDirs.Count == 0)
        {
            throw new ArgumentException("At least one log dir is needed.", nameof(logDirs));
        }

        string clusterId = ResolveClusterId(logDirs, self.Id);
        string path = Path.Combine(Path.GetFullPath(logDirs[0]), FileName);
        (List<TopicState> topics, DynamicBrokerConfigs brokerConfigs, ProducerIdBlock? latestBlock) = Load(path, self.Id);
        return new LocalClusterMetadata(path, self, clusterId, topics, brokerConfigs, latestBlock);
    }

    private static string ResolveClusterId(IReadOnlyList<string> logDirs, int brokerId)
    {
        string? clusterId = null;
        foreach (string dir in logDirs)
        {
            Directory.CreateDirectory(dir);
            MetaProperties? meta = MetaProperties.Read(dir);
            if (meta is null)
            {
                continue;
            }

            if (meta.BrokerId != brokerId)
            {
                throw new InvalidOperationException($"Log dir {dir} belongs to broker {meta.BrokerId}, but this is broker {brokerId}.");
            }

            if (meta.ClusterId is not null)
            {
                if (clusterId is not null && clusterId != meta.ClusterId)
                {
                    throw new InvalidOperationException($"Log dirs belong to different clusters: {clusterId} and {meta.ClusterId} ({dir}).");
                }

                clusterId = meta.ClusterId;
            }
        }

        clusterId ??= KafkaUuid.ToString(KafkaUuid.NewId());
        foreach (string dir in logDirs)
        {
            if (MetaProperties.Read(dir) is not { ClusterId: not null })
            {
                new MetaProperties(brokerId, clusterId).Write(dir);
            }
        }

        return clusterId;
    }

    public async ValueTask<TopicState> CreateTopicAsync(
        string name,
        IReadOnlyList<IReadOnlyList<int>> assignment,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return await MutateAsync(image =>
        {
            if (image.TryGetTopic(name, out _))
            {
                throw new KafkaApiException(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }

            var partitions = new List<PartitionState>(assignment.Count);
            for (int i = 0; i < assignment.Count; i++)
            {
                partitions.Add(Assign(i, assignment[i], leaderEpoch: 0, partitionEpoch: 0));
            }

            var topic = new TopicState(name, KafkaUuid.NewId(), partitions, new Dictionary<string, string>(configs, StringComparer.Ordinal));
            return (image.TopicsByName.Values.Append(topic), topic);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteTopicAsync(Guid topicId, CancellationToken cancellationToken = default) =>
        await MutateAsync(image =>
        {
            TopicState topic = Require(image, topicId);
            return (image.TopicsByName.Values.Where(t => t.TopicId != topicId), topic);
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask<TopicState> AddPartitionsAsync(
        Guid topicId,
        IReadOnlyList<IReadOnlyList<int>> newPartitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPartitions);
        return await MutateAsync(image =>
        {
            TopicState topic = Require(image, topicId);
            var partitions = new List<PartitionState>(topic.Partitions);
            foreach (IReadOnlyList<int> replicas in newPartitions)
            {
                partitions.Add(Assign(partitions.Count, replicas, leaderEpoch: 0, partitionEpoch: 0));
            }

            TopicState updated = topic with { Partitions = partitions };
            return (Replace(image, updated), updated);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<TopicState> SetTopicConfigsAsync(
        Guid topicId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        return await MutateAsync(image =>
        {
            TopicState updated = Require(image, topicId) with { Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal) };
            return (Replace(image, updated), updated);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SetBrokerConfigsAsync(
        int? brokerId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        await PublishAsync(before => new ClusterImage(
            before.ClusterId, before.ControllerId, before.Brokers, before.TopicsByName.Values, before.BrokerConfigs.With(brokerId, configs)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the block after the last one and persists it before handing it out, so a restart never reuses an id.</summary>
    public async Task<ProducerIdBlock> ClaimNextBlockAsync(int brokerId, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ProducerIdBlock next = ProducerIdBlock.After(_latestProducerIdBlock, brokerId);
            Save(_path, Current, next);
            _latestProducerIdBlock = next;
            return next;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static TopicState Require(ClusterImage image, Guid topicId) =>
        image.TryGetTopic(topicId, out TopicState? topic)
            ? topic
            : throw new KafkaApiException(ErrorCode.UnknownTopicId, $"Topic id {KafkaUuid.ToString(topicId)} does not exist.");

    private static IEnumerable<TopicState> Replace(ClusterImage image, TopicState updated) =>
        image.TopicsByName.Values.Select(t => t.TopicId == updated.TopicId ? updated : t);

    /// <summary>This broker leads when it holds a replica; replicas on other (unknown) brokers are offline.</summary>
    private PartitionState Assign(int partition, IReadOnlyList<int> replicas, int leaderEpoch, int partitionEpoch) =>
        StateFor(_self.Id, partition, replicas, leaderEpoch, partitionEpoch);

    private static PartitionState StateFor(int selfId, int partition, IReadOnlyList<int> replicas, int leaderEpoch, int partitionEpoch)
    {
        int[] live = replicas.Where(r => r == selfId).ToArray();
        int[] offline = replicas.Where(r => r != selfId).ToArray();
        return new PartitionState(partition, live.Length > 0 ? selfId : -1, leaderEpoch, [.. replicas], live, offline, partitionEpoch);
    }

    /// <summary>Applies a change: persists the new topic set, then publishes the image and notifies, in order.</summary>
    private async ValueTask<TopicState> MutateAsync(
        Func<ClusterImage, (IEnumerable<TopicState> Topics, TopicState Result)> change,
        CancellationToken cancellationToken)
    {
        TopicState? result = null;
        await PublishAsync(before =>
        {
            (IEnumerable<TopicState> topics, result) = change(before);
            return new ClusterImage(before.ClusterId, before.ControllerId, before.Brokers, topics, before.BrokerConfigs);
        }, cancellationToken).ConfigureAwait(false);
        return result!;
    }

    /// <summary>Builds the next image under the write lock, persists it, then publishes and notifies, in order.</summary>
    private async ValueTask PublishAsync(Func<ClusterImage, ClusterImage> next, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ClusterImage before = Current;
            ClusterImage after = next(before);
            Save(_path, after, _latestProducerIdBlock);
            Volatile.Write(ref _current, after);
            Changed?.Invoke(before, after);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
