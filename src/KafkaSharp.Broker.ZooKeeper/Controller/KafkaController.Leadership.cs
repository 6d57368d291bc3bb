using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

public sealed partial class KafkaController
{
    /// <summary>
    /// ControlledShutdown (API 7) on the controller: the broker may no longer lead or stay in ISRs; leadership moves
    /// to other ISR members. Answers the partitions it still leads that have other replicas (Kafka's
    /// remaining partitions; the broker retries, then stops anyway). STALE_BROKER_EPOCH for an older registration.
    /// </summary>
    public Task<(ErrorCode Error, IReadOnlyList<(string Topic, int Partition)> Remaining)> ControlledShutdownAsync(int brokerId, long brokerEpoch) =>
        RunOnLoopAsync<(ErrorCode, IReadOnlyList<(string, int)>)>(async () =>
        {
            if (!_active)
            {
                return (ErrorCode.NotController, []);
            }

            ControllerView view = await ReadViewAsync().ConfigureAwait(false);
            if (!view.LiveBrokers.TryGetValue(brokerId, out long registered))
            {
                return (ErrorCode.BrokerNotAvailable, []);
            }

            if (brokerEpoch != -1 && brokerEpoch < registered)
            {
                return (ErrorCode.StaleBrokerEpoch, []);
            }

            _shuttingDown[brokerId] = registered;
            ControlledShutdownStarted(_logger, brokerId);
            await ReconcileAsync().ConfigureAwait(false);
            var remaining = new List<(string, int)>();
            foreach (string topic in await _session.Client.GetChildrenAsync(ZkPaths.Topics, _stop.Token).ConfigureAwait(false))
            {
                if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
                {
                    continue;
                }

                for (int p = 0; p < read.Replicas.Count; p++)
                {
                    if (read.Replicas[p].Count > 1 && await ReadStateAsync(topic, p).ConfigureAwait(false) is { } state && state.Leader == brokerId)
                    {
                        remaining.Add((topic, p));
                    }
                }
            }

            return (ErrorCode.None, remaining);
        });

    /// <summary>
    /// ElectLeaders (API 43): preferred (type 0) or unclean (type 1) election for the given partitions, or for every
    /// partition when null (only those that need it are reported then, as Kafka does).
    /// </summary>
    public Task<IReadOnlyDictionary<(string Topic, int Partition), (ErrorCode Error, string? Message)>> ElectLeadersAsync(
        byte electionType, IReadOnlyCollection<(string Topic, int Partition)>? partitions) =>
        RunOnLoopAsync(async () =>
        {
            var results = new Dictionary<(string, int), (ErrorCode, string?)>();
            if (!_active)
            {
                foreach ((string, int) key in partitions ?? [])
                {
                    results[key] = (ErrorCode.NotController, "This broker is not the controller.");
                }

                return (IReadOnlyDictionary<(string, int), (ErrorCode, string?)>)results;
            }

            ControllerView view = await ReadViewAsync().ConfigureAwait(false);
            IEnumerable<string> topics = partitions?.Select(p => p.Topic).Distinct(StringComparer.Ordinal) ?? view.Topics;
            foreach (string topic in topics)
            {
                if (view.Deleting.Contains(topic) || await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
                {
                    foreach ((string, int) key in partitions?.Where(p => p.Topic == topic) ?? [])
                    {
                        results[key] = (ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
                    }

                    continue;
                }

                var ops = new List<ZooKeeperOp>();
                var elected = new List<(string, int)>();
                IEnumerable<int> wanted = partitions?.Where(p => p.Topic == topic).Select(p => p.Partition) ?? Enumerable.Range(0, read.Replicas.Count);
                foreach (int p in wanted)
                {
                    if (p < 0 || p >= read.Replicas.Count || await ReadStateAsync(topic, p).ConfigureAwait(false) is not { } state)
                    {
                        results[(topic, p)] = (ErrorCode.UnknownTopicOrPartition, $"Partition {topic}-{p} does not exist.");
                        continue;
                    }

                    (LeaderAndIsr? next, ErrorCode error) = electionType == 1
                        ? LeaderElection.Unclean(read.Replicas[p], state, view.Live, view.ShuttingDown, Epoch)
                        : LeaderElection.Preferred(read.Replicas[p], state, view.Live, view.ShuttingDown, Epoch);
                    if (next is not null)
                    {
                        ops.Add(ZooKeeperOp.SetData(ZkPaths.PartitionState(topic, p), PartitionStateZNode.Encode(next), state.ZkVersion));
                        elected.Add((topic, p));
                        LeaderChanged(_logger, topic, p, state.Leader, next.Leader, next.LeaderEpoch, next.Isr);
                    }
                    else if (partitions is not null)
                    {
                        results[(topic, p)] = (error, error == ErrorCode.ElectionNotNeeded ? "Leader election not needed." : $"Election of a leader for {topic}-{p} is not possible now.");
                    }
                }

                if (ops.Count == 0)
                {
                    continue;
                }

                bool written;
                try
                {
                    written = await FencedMultiAsync(ops).ConfigureAwait(false);
                }
                catch (ZooKeeperException e) when (e.Code == ZooKeeperErrorCode.BadVersion)
                {
                    written = false;
                }

                foreach ((string, int) key in elected)
                {
                    results[key] = written ? (ErrorCode.None, null) : (ErrorCode.NotController, "The partition state changed or the controller moved; retry.");
                }
            }

            return results;
        });

    /// <summary>
    /// auto.leader.rebalance.enable: every leader.imbalance.check.interval.seconds, a broker whose share of partitions
    /// it should lead (as first replica) but does not exceeds leader.imbalance.per.broker.percentage gets them back.
    /// </summary>
    private async Task AutoRebalanceAsync()
    {
        if (!_active)
        {
            return;
        }

        ControllerView view = await ReadViewAsync().ConfigureAwait(false);
        var byPreferred = new Dictionary<int, List<(string Topic, int Partition, bool Imbalanced)>>();
        foreach (string topic in view.Topics.Where(t => !view.Deleting.Contains(t)))
        {
            if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read || read.Assignment.AddingReplicas.Count > 0)
            {
                continue;
            }

            for (int p = 0; p < read.Replicas.Count; p++)
            {
                if (read.Replicas[p].Count == 0 || await ReadStateAsync(topic, p).ConfigureAwait(false) is not { } state)
                {
                    continue;
                }

                int preferred = read.Replicas[p][0];
                if (!byPreferred.TryGetValue(preferred, out var list))
                {
                    byPreferred[preferred] = list = [];
                }

                list.Add((topic, p, state.Leader != preferred));
            }
        }

        double threshold = _config().GetInt("leader.imbalance.per.broker.percentage") / 100.0;
        var toElect = new List<(string, int)>();
        foreach ((int broker, var list) in byPreferred)
        {
            int imbalanced = list.Count(x => x.Imbalanced);
            if (view.Live.Contains(broker) && !view.ShuttingDown.Contains(broker) && imbalanced > 0 && (double)imbalanced / list.Count > threshold)
            {
                toElect.AddRange(list.Where(x => x.Imbalanced).Select(x => (x.Topic, x.Partition)));
            }
        }

        if (toElect.Count > 0)
        {
            AutoRebalancing(_logger, toElect.Count);
            await ElectLeadersInlineAsync(toElect).ConfigureAwait(false);
        }
    }

    /// <summary>The preferred election of <see cref="ElectLeadersAsync"/>, from code already on the loop.</summary>
    private async Task ElectLeadersInlineAsync(IReadOnlyCollection<(string Topic, int Partition)> partitions)
    {
        ControllerView view = await ReadViewAsync().ConfigureAwait(false);
        foreach (IGrouping<string, (string Topic, int Partition)> topic in partitions.GroupBy(p => p.Topic, StringComparer.Ordinal))
        {
            if (await ReadAssignmentAsync(topic.Key).ConfigureAwait(false) is not { } read)
            {
                continue;
            }

            var ops = new List<ZooKeeperOp>();
            foreach ((_, int p) in topic)
            {
                if (p < read.Replicas.Count && await ReadStateAsync(topic.Key, p).ConfigureAwait(false) is { } state
                    && LeaderElection.Preferred(read.Replicas[p], state, view.Live, view.ShuttingDown, Epoch).Next is { } next)
                {
                    ops.Add(ZooKeeperOp.SetData(ZkPaths.PartitionState(topic.Key, p), PartitionStateZNode.Encode(next), state.ZkVersion));
                }
            }

            if (ops.Count > 0)
            {
                await WriteOrRetryAsync(ops).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Broker {BrokerId} started a controlled shutdown; moving its leaderships")]
    private static partial void ControlledShutdownStarted(ILogger logger, int brokerId);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Auto leader rebalance: preferred election for {Count} partitions")]
    private static partial void AutoRebalancing(ILogger logger, int count);
}
