using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>An ongoing reassignment as ListPartitionReassignments reports it.</summary>
public sealed record OngoingReassignment(string Topic, int Partition, IReadOnlyList<int> Replicas, IReadOnlyList<int> Adding, IReadOnlyList<int> Removing);

public sealed partial class KafkaController
{
    /// <summary>
    /// AlterPartitionReassignments (KIP-455): per partition, a target replica list starts (or replaces) a
    /// reassignment, null cancels one. The state lives in the topic znode (replicas = target then the old ones,
    /// adding_replicas, removing_replicas) as Kafka keeps it.
    /// Simplification until replication exists: a reassignment completes as soon as every replica being added is a
    /// live broker (whose broker then creates the partition's log); Kafka waits for them to join the ISR.
    /// </summary>
    public Task<IReadOnlyDictionary<(string Topic, int Partition), (ErrorCode Error, string? Message)>> AlterReassignmentsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), IReadOnlyList<int>?> targets) =>
        RunOnLoopAsync(async () =>
        {
            var results = new Dictionary<(string, int), (ErrorCode, string?)>();
            if (!_active)
            {
                foreach ((string, int) key in targets.Keys)
                {
                    results[key] = (ErrorCode.NotController, "This broker is not the controller.");
                }

                return (IReadOnlyDictionary<(string, int), (ErrorCode, string?)>)results;
            }

            ControllerView view = await ReadViewAsync().ConfigureAwait(false);
            foreach (IGrouping<string, KeyValuePair<(string Topic, int Partition), IReadOnlyList<int>?>> topic in targets.GroupBy(t => t.Key.Topic, StringComparer.Ordinal))
            {
                foreach ((var key, var outcome) in await AlterTopicReassignmentsAsync(topic.Key, [.. topic], view).ConfigureAwait(false))
                {
                    results[key] = outcome;
                }
            }

            return results;
        });

    private async Task<Dictionary<(string, int), (ErrorCode, string?)>> AlterTopicReassignmentsAsync(
        string topic, IReadOnlyList<KeyValuePair<(string Topic, int Partition), IReadOnlyList<int>?>> targets, ControllerView view)
    {
        var results = new Dictionary<(string, int), (ErrorCode, string?)>();
        if (view.Deleting.Contains(topic) || await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
        {
            foreach (var target in targets)
            {
                results[target.Key] = (ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
            }

            return results;
        }

        (TopicAssignment assignment, _, int version) = read;
        var partitions = new Dictionary<int, IReadOnlyList<int>>(assignment.Partitions);
        var adding = new Dictionary<int, IReadOnlyList<int>>(assignment.AddingReplicas);
        var removing = new Dictionary<int, IReadOnlyList<int>>(assignment.RemovingReplicas);
        var stateOps = new List<ZooKeeperOp>();
        foreach (((_, int p), IReadOnlyList<int>? target) in targets)
        {
            var key = (topic, p);
            if (!partitions.TryGetValue(p, out IReadOnlyList<int>? current))
            {
                results[key] = (ErrorCode.UnknownTopicOrPartition, $"Partition {topic}-{p} does not exist.");
                continue;
            }

            bool ongoing = adding.ContainsKey(p) || removing.ContainsKey(p);
            IReadOnlyList<int> original = [.. current.Where(r => !(adding.GetValueOrDefault(p)?.Contains(r) ?? false))];
            if (target is null)
            {
                if (!ongoing)
                {
                    results[key] = (ErrorCode.NoReassignmentInProgress, $"No reassignment in progress for {topic}-{p}.");
                    continue;
                }

                // Cancel: back to the original replicas; leadership follows if it had moved to an added one.
                partitions[p] = original;
                adding.Remove(p);
                removing.Remove(p);
                if (await ReadStateAsync(topic, p).ConfigureAwait(false) is { } state
                    && LeaderElection.CompleteReassignment(original, state, view.Live, view.ShuttingDown, Epoch) is { } next)
                {
                    stateOps.Add(ZooKeeperOp.SetData(ZkPaths.PartitionState(topic, p), PartitionStateZNode.Encode(next), state.ZkVersion));
                }

                results[key] = (ErrorCode.None, null);
                continue;
            }

            if (target.Count == 0 || target.Distinct().Count() != target.Count)
            {
                results[key] = (ErrorCode.InvalidReplicaAssignment, "The target replicas must be a non-empty list without duplicates.");
                continue;
            }

            if (target.FirstOrDefault(r => !view.Live.Contains(r), -1) is var missing && missing != -1)
            {
                results[key] = (ErrorCode.InvalidReplicaAssignment, $"Broker {missing} in the target replicas is not alive.");
                continue;
            }

            if (target.SequenceEqual(original) && !ongoing)
            {
                results[key] = (ErrorCode.None, null);
                continue;
            }

            partitions[p] = [.. target, .. original.Where(r => !target.Contains(r))];
            SetOrRemove(adding, p, [.. target.Where(r => !original.Contains(r))]);
            SetOrRemove(removing, p, [.. original.Where(r => !target.Contains(r))]);
            if (!adding.ContainsKey(p) && !removing.ContainsKey(p))
            {
                partitions[p] = target; // Only the order changed: nothing to wait for.
            }

            // The replica set grew: the leader epoch rises so every replica (the added ones too) takes it from
            // LeaderAndIsr, as Kafka's controller does when a reassignment starts.
            if (await ReadStateAsync(topic, p).ConfigureAwait(false) is { } started)
            {
                stateOps.Add(ZooKeeperOp.SetData(ZkPaths.PartitionState(topic, p), PartitionStateZNode.Encode(LeaderElection.BumpLeaderEpoch(started, Epoch)), started.ZkVersion));
            }

            results[key] = (ErrorCode.None, null);
            ReassignmentStarted(_logger, topic, p, original, target);
        }

        TopicAssignment updated = assignment with { Partitions = partitions, AddingReplicas = adding, RemovingReplicas = removing };
        try
        {
            await FencedMultiAsync([ZooKeeperOp.SetData(ZkPaths.Topic(topic), TopicZNode.Encode(updated), version), .. stateOps]).ConfigureAwait(false);
        }
        catch (ZooKeeperException e) when (e.Code is ZooKeeperErrorCode.BadVersion)
        {
            foreach (var key in results.Keys.ToList())
            {
                results[key] = (ErrorCode.ReassignmentInProgress, $"Topic '{topic}' changed meanwhile; retry.");
            }
        }

        RequestReconcile();
        return results;
    }

    private static void SetOrRemove(Dictionary<int, IReadOnlyList<int>> map, int partition, IReadOnlyList<int> replicas)
    {
        if (replicas.Count == 0)
        {
            map.Remove(partition);
        }
        else
        {
            map[partition] = replicas;
        }
    }

    /// <summary>Finishes every partition of the topic whose added replicas are all live (see <see cref="AlterReassignmentsAsync"/>).</summary>
    private async Task CompleteReassignmentAsync(string topic, TopicAssignment assignment, int version, ControllerView view)
    {
        var partitions = new Dictionary<int, IReadOnlyList<int>>(assignment.Partitions);
        var adding = new Dictionary<int, IReadOnlyList<int>>(assignment.AddingReplicas);
        var removing = new Dictionary<int, IReadOnlyList<int>>(assignment.RemovingReplicas);
        var ops = new List<ZooKeeperOp>();
        foreach (int p in adding.Keys.Union(removing.Keys).ToList())
        {
            if (adding.TryGetValue(p, out IReadOnlyList<int>? added) && !added.All(view.Live.Contains))
            {
                continue;
            }

            IReadOnlyList<int> target = [.. partitions[p].Where(r => !(removing.GetValueOrDefault(p)?.Contains(r) ?? false))];
            partitions[p] = target;
            adding.Remove(p);
            removing.Remove(p);
            if (await ReadStateAsync(topic, p).ConfigureAwait(false) is { } state
                && LeaderElection.CompleteReassignment(target, state, view.Live, view.ShuttingDown, Epoch) is { } next)
            {
                ops.Add(ZooKeeperOp.SetData(ZkPaths.PartitionState(topic, p), PartitionStateZNode.Encode(next), state.ZkVersion));
            }

            ReassignmentCompleted(_logger, topic, p, target);
        }

        if (ops.Count > 0 || partitions.Count != assignment.Partitions.Count || adding.Count != assignment.AddingReplicas.Count || removing.Count != assignment.RemovingReplicas.Count)
        {
            TopicAssignment updated = assignment with { Partitions = partitions, AddingReplicas = adding, RemovingReplicas = removing };
            await WriteOrRetryAsync([ZooKeeperOp.SetData(ZkPaths.Topic(topic), TopicZNode.Encode(updated), version), .. ops]).ConfigureAwait(false);
        }
    }

    /// <summary>ListPartitionReassignments: the ongoing ones among <paramref name="partitions"/> (null: all topics).</summary>
    public Task<IReadOnlyList<OngoingReassignment>?> ListReassignmentsAsync(IReadOnlyCollection<(string Topic, int Partition)>? partitions) =>
        RunOnLoopAsync<IReadOnlyList<OngoingReassignment>?>(async () =>
        {
            if (!_active)
            {
                return null;
            }

            var result = new List<OngoingReassignment>();
            IEnumerable<string> topics = partitions?.Select(p => p.Topic).Distinct(StringComparer.Ordinal)
                ?? await _session.Client.GetChildrenAsync(ZkPaths.Topics, _stop.Token).ConfigureAwait(false);
            foreach (string topic in topics)
            {
                if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
                {
                    continue;
                }

                TopicAssignment a = read.Assignment;
                foreach (int p in a.AddingReplicas.Keys.Union(a.RemovingReplicas.Keys).Order())
                {
                    if (partitions is null || partitions.Contains((topic, p)))
                    {
                        result.Add(new OngoingReassignment(topic, p, a.Partitions[p], a.AddingReplicas.GetValueOrDefault(p) ?? [], a.RemovingReplicas.GetValueOrDefault(p) ?? []));
                    }
                }
            }

            return result;
        });

    /// <summary>
    /// The legacy path: tools write /admin/reassign_partitions; the controller starts those reassignments and removes
    /// the znode (Kafka removes entries as each completes; here the ongoing state is in the topic znodes at once).
    /// </summary>
    private async Task ApplyLegacyReassignmentsAsync(ControllerView view)
    {
        ZNodeData data;
        try
        {
            data = await _session.Client.GetDataAsync(ZkPaths.ReassignPartitions, _onClusterChange, _stop.Token).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return;
        }

        Dictionary<(string Topic, int Partition), IReadOnlyList<int>> targets;
        try
        {
            targets = ReassignPartitionsZNode.Decode(data.Data);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(ZkPaths.ReassignPartitions, e.Reason, data.Stat.Mzxid);
            await FencedMultiAsync([ZooKeeperOp.Delete(ZkPaths.ReassignPartitions, data.Stat.Version)]).ConfigureAwait(false);
            return;
        }

        foreach (IGrouping<string, KeyValuePair<(string Topic, int Partition), IReadOnlyList<int>>> topic in targets.GroupBy(t => t.Key.Topic, StringComparer.Ordinal))
        {
            await AlterTopicReassignmentsAsync(topic.Key, [.. topic.Select(t => new KeyValuePair<(string Topic, int Partition), IReadOnlyList<int>?>(t.Key, t.Value))], view).ConfigureAwait(false);
        }

        await WriteOrRetryAsync([ZooKeeperOp.Delete(ZkPaths.ReassignPartitions, data.Stat.Version)]).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Reassigning {Topic}-{Partition} from [{From}] to [{To}]")]
    private static partial void ReassignmentStarted(ILogger logger, string topic, int partition, IEnumerable<int> from, IEnumerable<int> to);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Reassignment of {Topic}-{Partition} completed: replicas [{Replicas}]")]
    private static partial void ReassignmentCompleted(ILogger logger, string topic, int partition, IEnumerable<int> replicas);
}
