using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

public sealed partial class ZooKeeperClusterMetadata
{
    /// <summary>Lets a burst of watch events (a controller writing many partition states) become one reload.</summary>
    private static readonly TimeSpan s_coalesce = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan s_retryAfterFailure = TimeSpan.FromMilliseconds(500);

    private readonly HashSet<(string Path, long Mzxid)> _reportedMalformed = [];

    private async Task RunReloadLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _reloadSignal.WaitAsync(stop).ConfigureAwait(false);
                await Task.Delay(s_coalesce, stop).ConfigureAwait(false);
                ClusterImage next = await LoadAsync(_session.Client, Current, stop).ConfigureAwait(false);
                Publish(next);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ZooKeeperException e)
            {
                // Disconnected or expired: keep serving the last image; the reconnect (or new session) asks again.
                ReloadFailed(_logger, e.Message);
                await Task.Delay(s_retryAfterFailure, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                RequestReload();
            }
            catch (ObjectDisposedException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads the whole cluster and sets a watch on everything read, all with one callback (so a znode watched twice
    /// fires once). A malformed znode is logged with its path and its entity skipped; an entity this broker already
    /// knew keeps its previous state rather than vanishing (a topic vanishing would delete its logs).
    /// </summary>
    private async Task<ClusterImage> LoadAsync(ZooKeeperClient zk, ClusterImage previous, CancellationToken cancellationToken)
    {
        List<BrokerNode> brokers = await LoadBrokersAsync(zk, cancellationToken).ConfigureAwait(false);
        int controller = await LoadControllerAsync(zk, cancellationToken).ConfigureAwait(false);
        var live = brokers.Select(b => b.Id).ToHashSet();
        var topics = new List<TopicState>();
        foreach (string name in await zk.GetChildrenAsync(ZkPaths.Topics, _onWatch, cancellationToken).ConfigureAwait(false))
        {
            previous.TryGetTopic(name, out TopicState? known);
            TopicState? topic = await LoadTopicAsync(zk, name, known, live, cancellationToken).ConfigureAwait(false);
            if (topic is not null)
            {
                topics.Add(topic);
            }
        }

        DynamicBrokerConfigs brokerConfigs = await LoadBrokerConfigsAsync(zk, previous.BrokerConfigs, cancellationToken).ConfigureAwait(false);
        return new ClusterImage(previous.ClusterId, controller, brokers, topics, brokerConfigs);
    }

    private async Task<List<BrokerNode>> LoadBrokersAsync(ZooKeeperClient zk, CancellationToken cancellationToken)
    {
        var brokers = new List<BrokerNode>();
        foreach (string child in await zk.GetChildrenAsync(ZkPaths.BrokerIds, _onWatch, cancellationToken).ConfigureAwait(false))
        {
            if (!int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                ReportMalformed($"{ZkPaths.BrokerIds}/{child}", "not a broker id", 0);
                continue;
            }

            ZNodeData? data = await TryGetDataAsync(zk, ZkPaths.Broker(id), cancellationToken).ConfigureAwait(false);
            if (data is null)
            {
                continue; // Gone since the listing; the child watch reloads.
            }

            try
            {
                brokers.Add(BrokerRegistrationZNode.Decode(id, data.Data));
            }
            catch (MalformedZNodeException e)
            {
                ReportMalformed(ZkPaths.Broker(id), e.Reason, data.Stat.Mzxid);
            }
        }

        brokers.Sort((a, b) => a.Id.CompareTo(b.Id));
        return brokers;
    }

    private async Task<int> LoadControllerAsync(ZooKeeperClient zk, CancellationToken cancellationToken)
    {
        // An exists watch fires on create and delete, a data watch would miss the create of an absent node.
        if (await zk.ExistsAsync(ZkPaths.Controller, _onWatch, cancellationToken).ConfigureAwait(false) is null)
        {
            return -1;
        }

        ZNodeData? data = await TryGetDataAsync(zk, ZkPaths.Controller, cancellationToken).ConfigureAwait(false);
        try
        {
            return data is null ? -1 : ControllerZNode.Decode(data.Data);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(ZkPaths.Controller, e.Reason, data!.Stat.Mzxid);
            return -1;
        }
    }

    /// <summary>
    /// A topic as far as the controller has initialised it: partitions 0..k-1 with a state znode. A topic with no
    /// id yet (written by an old tool; the controller adds one) or no initialised partition is not shown yet.
    /// </summary>
    private async Task<TopicState?> LoadTopicAsync(ZooKeeperClient zk, string name, TopicState? known, HashSet<int> live, CancellationToken cancellationToken)
    {
        string path = ZkPaths.Topic(name);
        ZNodeData? data = await TryGetDataAsync(zk, path, cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        IReadOnlyList<IReadOnlyList<int>>? assignment;
        Guid topicId;
        try
        {
            TopicAssignment decoded = TopicZNode.Decode(name, data.Data);
            assignment = decoded.InOrder() ?? throw new MalformedZNodeException(path, "partition numbers are not 0..n-1");
            if (decoded.TopicId is not { } id)
            {
                return known;
            }

            topicId = id;
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(path, e.Reason, data.Stat.Mzxid);
            return known;
        }

        var partitions = new List<PartitionState>(assignment.Count);
        for (int p = 0; p < assignment.Count; p++)
        {
            PartitionState? state = await LoadPartitionAsync(zk, name, p, assignment[p], live, cancellationToken).ConfigureAwait(false);
            state ??= known is not null && known.TopicId == topicId && p < known.Partitions.Count ? known.Partitions[p] : null;
            if (state is null)
            {
                break;
            }

            partitions.Add(state);
        }

        if (partitions.Count == 0)
        {
            return known?.TopicId == topicId ? known : null;
        }

        IReadOnlyDictionary<string, string> configs = await LoadConfigAsync(zk, ZkPaths.TopicConfig(name), known?.Configs, cancellationToken).ConfigureAwait(false);
        return new TopicState(name, topicId, partitions, configs);
    }

    private async Task<PartitionState?> LoadPartitionAsync(ZooKeeperClient zk, string topic, int partition, IReadOnlyList<int> replicas, HashSet<int> live, CancellationToken cancellationToken)
    {
        string path = ZkPaths.PartitionState(topic, partition);
        if (await zk.ExistsAsync(path, _onWatch, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        ZNodeData? data = await TryGetDataAsync(zk, path, cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        try
        {
            LeaderAndIsr state = PartitionStateZNode.Decode(topic, partition, data.Data, data.Stat.Version);
            return new PartitionState(partition, state.Leader, state.LeaderEpoch, replicas, state.Isr,
                [.. replicas.Where(r => !live.Contains(r))], state.ZkVersion);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(path, e.Reason, data.Stat.Mzxid);
            return null;
        }
    }

    private async Task<DynamicBrokerConfigs> LoadBrokerConfigsAsync(ZooKeeperClient zk, DynamicBrokerConfigs previous, CancellationToken cancellationToken)
    {
        DynamicBrokerConfigs result = DynamicBrokerConfigs.Empty;
        foreach (string child in await zk.GetChildrenAsync(ZkPaths.BrokerConfigs, _onWatch, cancellationToken).ConfigureAwait(false))
        {
            int? id = null;
            if (child != ZkPaths.DefaultBrokerEntity)
            {
                if (!int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                {
                    ReportMalformed($"{ZkPaths.BrokerConfigs}/{child}", "not a broker id or <default>", 0);
                    continue;
                }

                id = parsed;
            }

            result = result.With(id, await LoadConfigAsync(zk, ZkPaths.BrokerConfig(id), previous.For(id), cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>A config entity's overrides (none when the znode is absent); on malformed JSON, what was known before.</summary>
    private async Task<IReadOnlyDictionary<string, string>> LoadConfigAsync(ZooKeeperClient zk, string path, IReadOnlyDictionary<string, string>? known, CancellationToken cancellationToken)
    {
        if (await zk.ExistsAsync(path, _onWatch, cancellationToken).ConfigureAwait(false) is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        ZNodeData? data = await TryGetDataAsync(zk, path, cancellationToken).ConfigureAwait(false);
        try
        {
            return data is null ? new Dictionary<string, string>(StringComparer.Ordinal) : ConfigZNode.Decode(path, data.Data);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(path, e.Reason, data!.Stat.Mzxid);
            return known ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>One log line per malformed znode version, not one per reload.</summary>
    private void ReportMalformed(string path, string reason, long mzxid)
    {
        lock (_reportedMalformed)
        {
            if (!_reportedMalformed.Add((path, mzxid)))
            {
                return;
            }
        }

        Malformed(_logger, path, reason);
    }

    private async Task<ZNodeData?> TryGetDataAsync(ZooKeeperClient zk, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await zk.GetDataAsync(path, _onWatch, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Skipping malformed znode {Path}: {Reason}")]
    private static partial void Malformed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Could not reload cluster metadata from ZooKeeper, keeping the last image: {Reason}")]
    private static partial void ReloadFailed(ILogger logger, string reason);
}
