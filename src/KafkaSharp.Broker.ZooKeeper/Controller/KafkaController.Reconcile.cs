using System.Collections.Concurrent;
using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

public sealed partial class KafkaController
{
    /// <summary>Brokers in controlled shutdown, by id, with the broker epoch (registration czxid) they asked with.</summary>
    private readonly ConcurrentDictionary<int, long> _shuttingDown = new();

    private readonly HashSet<(string Path, long Mzxid)> _reportedMalformed = [];

    /// <summary>The controller's view of the cluster, read fresh from ZooKeeper at the start of each pass.</summary>
    private sealed record ControllerView(
        IReadOnlyDictionary<int, long> LiveBrokers,
        IReadOnlySet<int> Live,
        IReadOnlySet<int> ShuttingDown,
        IReadOnlyList<string> Topics,
        IReadOnlySet<string> Deleting);

    /// <summary>
    /// One pass over the whole cluster (Kafka reacts to each event separately; starting from the full state each
    /// time makes a missed or coalesced event harmless): deletions, topic ids, new partitions, leadership after broker
    /// changes, reassignments.
    /// </summary>
    private async Task ReconcileAsync()
    {
        if (!_active)
        {
            return;
        }

        ControllerView view = await ReadViewAsync().ConfigureAwait(false);
        foreach (string topic in view.Topics)
        {
            if (!_active)
            {
                return;
            }

            if (view.Deleting.Contains(topic))
            {
                if (await DeletionConfirmedAsync(topic).ConfigureAwait(false))
                {
                    await DeleteTopicAsync(topic).ConfigureAwait(false);
                }
            }
            else
            {
                await ReconcileTopicAsync(topic, view).ConfigureAwait(false);
            }
        }

        foreach (string gone in view.Deleting.Except(view.Topics))
        {
            // Marked for deletion but not (or no longer) a topic: Kafka drops the marker.
            await FencedMultiAsync([ZooKeeperOp.Delete(ZkPaths.DeleteTopic(gone))]).ConfigureAwait(false);
        }

        await ApplyLegacyReassignmentsAsync(view).ConfigureAwait(false);
    }

    private async Task<ControllerView> ReadViewAsync()
    {
        ZooKeeperClient zk = _session.Client;
        var live = new Dictionary<int, long>();
        foreach (string child in await zk.GetChildrenAsync(ZkPaths.BrokerIds, _onClusterChange, _stop.Token).ConfigureAwait(false))
        {
            if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int id)
                && await zk.ExistsAsync(ZkPaths.Broker(id), _stop.Token).ConfigureAwait(false) is { } stat)
            {
                live[id] = stat.Czxid;
            }
        }

        // A broker that finished its controlled shutdown and registered again (new broker epoch) may lead again.
        foreach ((int id, long epoch) in _shuttingDown)
        {
            if (!live.TryGetValue(id, out long current) || current != epoch)
            {
                _shuttingDown.TryRemove(id, out _);
            }
        }

        IReadOnlyList<string> topics = await zk.GetChildrenAsync(ZkPaths.Topics, _onClusterChange, _stop.Token).ConfigureAwait(false);
        IReadOnlyList<string> deleting = await zk.GetChildrenAsync(ZkPaths.DeleteTopics, _onClusterChange, _stop.Token).ConfigureAwait(false);
        await zk.ExistsAsync(ZkPaths.ReassignPartitions, _onClusterChange, _stop.Token).ConfigureAwait(false);
        return new ControllerView(live, live.Keys.ToHashSet(), _shuttingDown.Keys.ToHashSet(), topics, deleting.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Reads a topic's assignment with its znode version, watching it; null (logged once) when absent or malformed.</summary>
    private async Task<(TopicAssignment Assignment, IReadOnlyList<IReadOnlyList<int>> Replicas, int Version)?> ReadAssignmentAsync(string topic)
    {
        string path = ZkPaths.Topic(topic);
        ZNodeData data;
        try
        {
            data = await _session.Client.GetDataAsync(path, _onClusterChange, _stop.Token).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return null;
        }

        try
        {
            TopicAssignment assignment = TopicZNode.Decode(topic, data.Data);
            IReadOnlyList<IReadOnlyList<int>> replicas = assignment.InOrder() ?? throw new MalformedZNodeException(path, "partition numbers are not 0..n-1");
            return (assignment, replicas, data.Stat.Version);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(path, e.Reason, data.Stat.Mzxid);
            return null;
        }
    }

    private async Task<LeaderAndIsr?> ReadStateAsync(string topic, int partition)
    {
        string path = ZkPaths.PartitionState(topic, partition);
        try
        {
            ZNodeData data = await _session.Client.GetDataAsync(path, _stop.Token).ConfigureAwait(false);
            try
            {
                return PartitionStateZNode.Decode(topic, partition, data.Data, data.Stat.Version);
            }
            catch (MalformedZNodeException e)
            {
                ReportMalformed(path, e.Reason, data.Stat.Mzxid);
                return null;
            }
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    private async Task ReconcileTopicAsync(string topic, ControllerView view)
    {
        if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
        {
            return;
        }

        (TopicAssignment assignment, IReadOnlyList<IReadOnlyList<int>> replicas, int version) = read;
        if (assignment.TopicId is null)
        {
            // Topics created by tools that predate KIP-516 get an id from the controller, as Kafka 2.8+ does.
            await FencedMultiAsync([ZooKeeperOp.SetData(ZkPaths.Topic(topic), TopicZNode.Encode(assignment with { TopicId = KafkaUuid.NewId() }), version)]).ConfigureAwait(false);
            return;
        }

        bool unclean = await UncleanAllowedAsync(topic).ConfigureAwait(false);
        int epoch = Epoch;
        var ops = new List<ZooKeeperOp>();
        for (int p = 0; p < replicas.Count; p++)
        {
            string statePath = ZkPaths.PartitionState(topic, p);
            if (await _session.Client.ExistsAsync(statePath, _stop.Token).ConfigureAwait(false) is null)
            {
                if (LeaderElection.Initial(replicas[p], view.Live, epoch) is { } initial)
                {
                    await _session.Client.EnsurePathExistsAsync(ZkPaths.Partition(topic, p), _stop.Token).ConfigureAwait(false);
                    ops.Add(ZooKeeperOp.Create(statePath, PartitionStateZNode.Encode(initial)));
                }
                else
                {
                    NoLiveReplica(_logger, topic, p);
                }

                continue;
            }

            if (await ReadStateAsync(topic, p).ConfigureAwait(false) is not { } current)
            {
                continue;
            }

            if (LeaderElection.AfterBrokerChange(replicas[p], current, view.Live, view.ShuttingDown, unclean, epoch) is { } next)
            {
                ops.Add(ZooKeeperOp.SetData(statePath, PartitionStateZNode.Encode(next), current.ZkVersion));
                LeaderChanged(_logger, topic, p, current.Leader, next.Leader, next.LeaderEpoch, next.Isr);
            }
        }

        if (ops.Count > 0)
        {
            await WriteOrRetryAsync(ops).ConfigureAwait(false);
        }

        if (assignment.AddingReplicas.Count > 0 || assignment.RemovingReplicas.Count > 0)
        {
            await CompleteReassignmentAsync(topic, assignment, version, view).ConfigureAwait(false);
        }
    }

    /// <summary>A partition state that changed under us (a leader wrote its ISR) is read again on the next pass.</summary>
    private async Task WriteOrRetryAsync(IReadOnlyList<ZooKeeperOp> ops)
    {
        try
        {
            await FencedMultiAsync(ops).ConfigureAwait(false);
        }
        catch (ZooKeeperException e) when (e.Code is ZooKeeperErrorCode.BadVersion or ZooKeeperErrorCode.NodeExists or ZooKeeperErrorCode.NoNode)
        {
            RequestReconcile();
        }
    }

    /// <summary>unclean.leader.election.enable: the topic's override, else the broker's (dynamic) value.</summary>
    private async Task<bool> UncleanAllowedAsync(string topic)
    {
        try
        {
            ZNodeData data = await _session.Client.GetDataAsync(ZkPaths.TopicConfig(topic), _stop.Token).ConfigureAwait(false);
            if (ConfigZNode.Decode(ZkPaths.TopicConfig(topic), data.Data).TryGetValue("unclean.leader.election.enable", out string? value))
            {
                return string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
            }
        }
        catch (NoNodeException)
        {
        }
        catch (MalformedZNodeException)
        {
        }

        return _config().UncleanLeaderElectionEnable;
    }

    /// <summary>
    /// Completes a topic's deletion once its replicas confirmed it (KafkaController.Deletion.cs): removes its znodes
    /// (states, assignment, config, the deletion marker) in one fenced multi.
    /// </summary>
    private async Task DeleteTopicAsync(string topic)
    {
        ZooKeeperClient zk = _session.Client;
        var ops = new List<ZooKeeperOp>();
        IReadOnlyList<string> partitions;
        try
        {
            partitions = await zk.GetChildrenAsync(ZkPaths.Partitions(topic), _stop.Token).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            partitions = [];
        }

        foreach (string partition in partitions)
        {
            string partitionPath = $"{ZkPaths.Partitions(topic)}/{partition}";
            foreach (string child in await zk.GetChildrenAsync(partitionPath, _stop.Token).ConfigureAwait(false))
            {
                ops.Add(ZooKeeperOp.Delete($"{partitionPath}/{child}"));
            }

            ops.Add(ZooKeeperOp.Delete(partitionPath));
        }

        if (await zk.ExistsAsync(ZkPaths.Partitions(topic), _stop.Token).ConfigureAwait(false) is not null)
        {
            ops.Add(ZooKeeperOp.Delete(ZkPaths.Partitions(topic)));
        }

        ops.Add(ZooKeeperOp.Delete(ZkPaths.Topic(topic)));
        if (await zk.ExistsAsync(ZkPaths.TopicConfig(topic), _stop.Token).ConfigureAwait(false) is not null)
        {
            ops.Add(ZooKeeperOp.Delete(ZkPaths.TopicConfig(topic)));
        }

        ops.Add(ZooKeeperOp.Delete(ZkPaths.DeleteTopic(topic)));
        await WriteOrRetryAsync(ops).ConfigureAwait(false);
        ForgetDeletion(topic);
        TopicDeleted(_logger, topic);
    }

    private void ReportMalformed(string path, string reason, long mzxid)
    {
        if (_reportedMalformed.Add((path, mzxid)))
        {
            Malformed(_logger, path, reason);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Partition {Topic}-{Partition}: leader {Before} -> {After}, leader epoch {LeaderEpoch}, isr [{Isr}]")]
    private static partial void LeaderChanged(ILogger logger, string topic, int partition, int before, int after, int leaderEpoch, IEnumerable<int> isr);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition} has no live replica; it stays uninitialised until one registers")]
    private static partial void NoLiveReplica(ILogger logger, string topic, int partition);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Deleted topic {Topic}")]
    private static partial void TopicDeleted(ILogger logger, string topic);

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "Controller skips malformed znode {Path}: {Reason}")]
    private static partial void Malformed(ILogger logger, string path, string reason);
}
