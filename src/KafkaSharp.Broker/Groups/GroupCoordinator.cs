using System.Collections.Concurrent;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// The classic group coordinator (Kafka's GroupCoordinator and GroupMetadataManager, ZooKeeper-mode 3.9 behaviour):
/// the join/sync/heartbeat state machine, committed offsets, and their persistence in <c>__consumer_offsets</c>.
/// It coordinates the groups whose <c>__consumer_offsets</c> partition this broker leads; while such a partition is
/// being replayed, requests for its groups answer COORDINATOR_LOAD_IN_PROGRESS.
/// </summary>
/// <remarks>
/// Concurrency: each <see cref="Group"/> has its own lock; state changes happen under it, waiting requests hold
/// completions whose continuations run asynchronously, and appends to the log happen outside any lock. Timers come
/// from the broker's <see cref="TimeProvider"/> (one per member session, one per group phase): no thread per group.
/// </remarks>
public sealed partial class GroupCoordinator : IDisposable
{
    /// <summary>How long a new member's JoinGroup may wait before it is dropped (Kafka's NewMemberJoinTimeoutMs).</summary>
    internal const int NewMemberJoinTimeoutMs = 5 * 60 * 1000;

    private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly OffsetsPartitions _owned = new();
    private readonly IClusterMetadata _metadata;
    private readonly Func<GroupCoordinatorConfig> _config;
    private readonly OffsetsTopicWriter _writer;
    private readonly ReplicaManager _replicas;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _brokerId;
    private ITimer? _expiryTimer;
    private volatile bool _active;

    public GroupCoordinator(int brokerId, IClusterMetadata metadata, ReplicaManager replicas, Func<GroupCoordinatorConfig> config, TimeProvider time, ILogger logger)
    {
        _brokerId = brokerId;
        _metadata = metadata;
        _replicas = replicas;
        _config = config;
        _time = time;
        _logger = logger;
        _writer = new OffsetsTopicWriter(replicas, () => _config().OffsetsTopicCompressionCodec);
    }

    internal GroupCoordinatorConfig Config => _config();

    internal long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Starts serving: loads the partitions this broker leads and follows leadership changes.</summary>
    public void Start()
    {
        _active = true;
        _metadata.Changed += OnMetadataChanged;
        OnLeadershipMayHaveChanged(_metadata.Current);
        long interval = Math.Max(1, _config().OffsetsRetentionCheckIntervalMs);
        _expiryTimer = _time.CreateTimer(_ => ExpireOffsets(), null, TimeSpan.FromMilliseconds(interval), TimeSpan.FromMilliseconds(interval));
    }

    /// <summary>Stops serving: groups are unloaded and waiting requests answered NOT_COORDINATOR.</summary>
    public void Stop()
    {
        if (!_active)
        {
            return;
        }

        _active = false;
        _metadata.Changed -= OnMetadataChanged;
        _expiryTimer?.Dispose();
        foreach (int partition in _owned.All)
        {
            Unload(partition);
        }
    }

    public void Dispose() => Stop();

    /// <summary>The <c>__consumer_offsets</c> partition of a group: from the topic when it exists, else the config.</summary>
    public int PartitionFor(string groupId) => GroupPartitioner.PartitionFor(groupId, OffsetsPartitionCount());

    private int OffsetsPartitionCount() =>
        _metadata.Current.TryGetTopic(InternalTopics.ConsumerOffsets, out TopicState? topic) && topic.Partitions.Count > 0
            ? topic.Partitions.Count
            : _config().OffsetsTopicNumPartitions;

    /// <summary>
    /// Kafka's validateGroupStatus: the id must be valid for the API (only OffsetCommit, OffsetFetch, DescribeGroups
    /// and DeleteGroups accept an empty id), the coordinator active, the group's partition loaded and led here.
    /// </summary>
    internal ErrorCode ValidateGroupStatus(string? groupId, bool allowEmptyId)
    {
        if (groupId is null || (!allowEmptyId && groupId.Length == 0))
        {
            return ErrorCode.InvalidGroupId;
        }

        if (!_active)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        return _owned.StateOf(PartitionFor(groupId)) switch
        {
            OffsetsPartitions.State.Loading => ErrorCode.CoordinatorLoadInProgress,
            OffsetsPartitions.State.Loaded => ErrorCode.None,
            _ => ErrorCode.NotCoordinator,
        };
    }

    /// <summary>True while any partition this broker leads is still being replayed.</summary>
    internal bool IsLoading => _owned.AnyLoading;

    internal bool IsActive => _active;

    /// <summary>The partitions coordinated here and their load state (tests put one back into loading).</summary>
    internal OffsetsPartitions Owned => _owned;

    private Group? GetGroup(string groupId) => _groups.GetValueOrDefault(groupId);

    private Group GetOrCreateGroup(string groupId) =>
        _groups.GetOrAdd(groupId, id => new Group(id, PartitionFor(id), GroupState.Empty, NowMs));

    /// <summary>Whether a group is unknown here (used for GROUP_ID_NOT_FOUND vs NOT_COORDINATOR after a race).</summary>
    private bool GroupNotExists(string groupId) => !_groups.TryGetValue(groupId, out Group? group) || group.Is(GroupState.Dead);

    /// <summary>Replaces a group that a delete or unload marked Dead by a fresh one (the next join or commit).</summary>
    private Group GetOrCreateLiveGroup(string groupId)
    {
        while (true)
        {
            Group group = GetOrCreateGroup(groupId);
            if (!group.Is(GroupState.Dead))
            {
                return group;
            }

            _groups.TryRemove(KeyValuePair.Create(groupId, group));
        }
    }

    private ITimer StartTimer(Action callback, long dueMs) =>
        _time.CreateTimer(static state => ((Action)state!)(), callback, TimeSpan.FromMilliseconds(Math.Max(0, dueMs)), Timeout.InfiniteTimeSpan);
}
