using System.Collections.Immutable;
using KafkaSharp.Storage;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// A ZooKeeper-mode broker's view of the cluster, fed by the controller as Kafka's ZkMetadataCache and
/// ReplicaManager are: UpdateMetadata brings the live brokers, the controller id and (incrementally) partition
/// states with topic ids; LeaderAndIsr brings the partitions this broker hosts and whether it leads them;
/// StopReplica stops or removes them. Topic config overrides and dynamic broker configs are pushed by the ZooKeeper
/// side as it reads them. Each change publishes a new immutable <see cref="ClusterImage"/> and raises
/// <see cref="Changed"/> in order, so <c>PartitionManager</c> creates logs for hosted partitions and
/// <c>ReplicaManager</c> answers NOT_LEADER_OR_FOLLOWER for partitions led elsewhere.
/// </summary>
/// <remarks>
/// Fencing: a request whose controller epoch is older than the newest seen is refused (STALE_CONTROLLER_EPOCH), so a
/// deposed controller cannot undo its successor's decisions; one whose broker epoch is older than this broker's
/// registration (<see cref="BrokerEpoch"/>) was meant for an earlier incarnation (STALE_BROKER_EPOCH).
/// A partition's state in the image is the newer (by leader epoch) of what UpdateMetadata and LeaderAndIsr said, so
/// a leadership change is visible as soon as the first of the two arrives. Topics without a topic id (UpdateMetadata
/// before v7 and LeaderAndIsr before v5 carry none) are held back until one is known: the image indexes topics by id.
/// </remarks>
public sealed partial class ControllerFedMetadataCache
{
    /// <summary>Kafka's LeaderAndIsr.LeaderDuringDelete: UpdateMetadata marks a deleted partition with this leader.</summary>
    public const int LeaderDuringDelete = -2;

    /// <summary>Kafka's LeaderAndIsr.EpochDuringDelete: StopReplica for a deleted topic carries this leader epoch.</summary>
    public const int EpochDuringDelete = -2;

    /// <summary>Kafka's LeaderAndIsr.NoEpoch: StopReplica before v3 carries no leader epoch.</summary>
    public const int NoEpoch = -1;

    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly int _brokerId;
    private readonly string _clusterId;

    // Everything below is guarded by _lock and turned into an image by Publish.
    private readonly Dictionary<string, MetadataTopic> _metadataTopics = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, LocalReplica> _localReplicas = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _topicConfigs = new(StringComparer.Ordinal);
    private IReadOnlyList<BrokerNode> _liveBrokers;
    private int _controllerId = -1;
    private int _controllerEpoch = -1;
    private long _brokerEpoch = -1;
    private DynamicBrokerConfigs _brokerConfigs = DynamicBrokerConfigs.Empty;

    private ClusterImage _current;
    private ImmutableHashSet<TopicPartition> _hosted = [];

    /// <param name="self">This broker; the only live broker the image shows until the first UpdateMetadata.</param>
    /// <param name="clusterId">The cluster id (ZooKeeper's /cluster/id).</param>
    public ControllerFedMetadataCache(BrokerNode self, string clusterId, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(clusterId);
        ArgumentNullException.ThrowIfNull(logger);
        _brokerId = self.Id;
        _clusterId = clusterId;
        _logger = logger;
        _liveBrokers = [self];
        _current = new ClusterImage(clusterId, -1, _liveBrokers, []);
    }

    public ClusterImage Current => Volatile.Read(ref _current);

    /// <summary>Raised after every change, in order, with the image before and after (as <see cref="IClusterMetadata.Changed"/>).</summary>
    public event Action<ClusterImage, ClusterImage>? Changed;

    public int BrokerId => _brokerId;

    /// <summary>The newest controller epoch seen in a controller request (-1 before the first).</summary>
    public int ControllerEpoch
    {
        get
        {
            lock (_lock)
            {
                return _controllerEpoch;
            }
        }
    }

    /// <summary>This broker's epoch: the zxid that created its /brokers/ids/&lt;id&gt; registration (-1 until registered).</summary>
    public long BrokerEpoch
    {
        get
        {
            lock (_lock)
            {
                return _brokerEpoch;
            }
        }
    }

    /// <summary>Called by the ZooKeeper side after (re-)registering this broker: requests for an older epoch are refused.</summary>
    public void SetBrokerEpoch(long brokerEpoch)
    {
        lock (_lock)
        {
            _brokerEpoch = brokerEpoch;
        }
    }

    /// <summary>
    /// True when this broker hosts a replica of the partition: LeaderAndIsr assigned it here and no StopReplica with
    /// delete removed it. The partition manager creates logs only for these.
    /// </summary>
    public bool IsHostedLocally(string topic, int partition) => Volatile.Read(ref _hosted).Contains(new TopicPartition(topic, partition));

    /// <summary>The topic's config overrides as read from /config/topics/&lt;topic&gt; (empty removes them).</summary>
    public void SetTopicConfigs(string topic, IReadOnlyDictionary<string, string> configs)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(configs);
        lock (_lock)
        {
            if (configs.Count == 0)
            {
                _topicConfigs.Remove(topic);
            }
            else
            {
                _topicConfigs[topic] = new Dictionary<string, string>(configs, StringComparer.Ordinal);
            }

            Publish();
        }
    }

    /// <summary>
    /// Dynamic broker configs as read from /config/brokers/&lt;id&gt; (or /config/brokers/&lt;default&gt; when
    /// <paramref name="brokerId"/> is null); an empty set removes them.
    /// </summary>
    public void SetBrokerConfigs(int? brokerId, IReadOnlyDictionary<string, string> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        lock (_lock)
        {
            _brokerConfigs = _brokerConfigs.With(brokerId, configs);
            Publish();
        }
    }

    /// <summary>
    /// KIP-380: a request carrying a broker epoch older than this broker's registration was meant for its previous
    /// incarnation. -1 means the controller did not say (older request versions).
    /// </summary>
    private bool IsBrokerEpochStale(long requestBrokerEpoch) => requestBrokerEpoch != -1 && requestBrokerEpoch < _brokerEpoch;

    /// <summary>Builds the image from both layers, publishes it, then notifies. Call under the lock.</summary>
    private void Publish()
    {
        ClusterImage before = _current;
        var hosted = ImmutableHashSet.CreateBuilder<TopicPartition>();
        foreach ((TopicPartition tp, LocalReplica _) in _localReplicas)
        {
            hosted.Add(tp);
        }

        ClusterImage after = new(_clusterId, _controllerId, _liveBrokers, BuildTopics(), _brokerConfigs);
        Volatile.Write(ref _hosted, hosted.ToImmutable());
        Volatile.Write(ref _current, after);
        Changed?.Invoke(before, after);
    }

    /// <summary>What UpdateMetadata said about one topic: its id (when known) and its partitions' states.</summary>
    private sealed class MetadataTopic
    {
        public Guid TopicId { get; set; }

        public SortedDictionary<int, PartitionState> Partitions { get; } = [];
    }

    /// <summary>A replica LeaderAndIsr placed on this broker; stopped once a StopReplica without delete arrived.</summary>
    private sealed record LocalReplica(Guid TopicId, PartitionState State, bool Stopped);

    [LoggerMessage(EventId = 950, Level = LogLevel.Warning, Message = "Ignoring {Request} from controller {ControllerId} with epoch {RequestEpoch}: the latest known controller epoch is {ControllerEpoch}")]
    private static partial void StaleControllerEpoch(ILogger logger, string request, int controllerId, int requestEpoch, int controllerEpoch);

    [LoggerMessage(EventId = 951, Level = LogLevel.Information, Message = "Ignoring {Request} from controller {ControllerId}: broker epoch {RequestEpoch} is older than this broker's {BrokerEpoch}")]
    private static partial void StaleBrokerEpoch(ILogger logger, string request, int controllerId, long requestEpoch, long brokerEpoch);

    [LoggerMessage(EventId = 952, Level = LogLevel.Warning, Message = "Ignoring LeaderAndIsr for {Partition}: {Reason}")]
    private static partial void PartitionStateIgnored(ILogger logger, string partition, string reason);

    // Routine after a failover or a re-registration, when the controller resends what a broker already holds: info,
    // as Kafka logs it.
    [LoggerMessage(EventId = 954, Level = LogLevel.Information, Message = "Ignoring LeaderAndIsr for {Partition}: leader epoch {RequestEpoch} is not newer than the held {HeldEpoch}")]
    private static partial void LeaderEpochNotNewer(ILogger logger, TopicPartition partition, int requestEpoch, int heldEpoch);

    [LoggerMessage(EventId = 953, Level = LogLevel.Warning, Message = "Topic {Topic} has no topic id yet; it is left out of the metadata until one arrives")]
    private static partial void TopicWithoutId(ILogger logger, string topic);
}
