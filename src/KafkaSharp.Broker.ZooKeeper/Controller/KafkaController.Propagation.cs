using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

public sealed partial class KafkaController
{
    /// <summary>What the brokers were last told (Kafka's ControllerContext); null right after an election: tell everyone everything.</summary>
    private ClusterSnapshot? _sent;

    /// <summary>
    /// The live brokers (with their broker epochs), every initialised partition, and the replicas of the partitions of
    /// topics marked for deletion (which are not in <see cref="Partitions"/>: to the brokers they are gone), as
    /// ZooKeeper holds them now.
    /// </summary>
    private sealed record ClusterSnapshot(
        IReadOnlyDictionary<int, (BrokerNode Node, long Epoch)> Brokers,
        IReadOnlyDictionary<(string Topic, int Partition), PartitionSnapshot> Partitions,
        IReadOnlyDictionary<(string Topic, int Partition), IReadOnlyList<int>> Deleting);

    /// <summary>
    /// After each controller event (its ZooKeeper writes done), tells the brokers what changed, as Kafka's
    /// ControllerBrokerRequestBatch does at the end of an event: LeaderAndIsr to the replicas of every partition whose
    /// state or assignment changed (isNew for a new partition), UpdateMetadata to every live broker, StopReplica with
    /// delete to the replicas of deleted partitions and to replicas a reassignment removed. A broker that registered
    /// (or registered again, with a new broker epoch) first gets UpdateMetadata for the whole cluster, then
    /// LeaderAndIsr for all it hosts — which after an election is every broker (Kafka's onControllerFailover).
    /// The controller works out "what changed" by comparing with what it last sent, since it reconciles from
    /// ZooKeeper rather than reacting to each event separately.
    /// </summary>
    private async Task PropagateAsync()
    {
        if (!_active)
        {
            return;
        }

        ClusterSnapshot next = await ReadSnapshotAsync(_sent).ConfigureAwait(false);
        if (!_active)
        {
            return;
        }

        ClusterSnapshot? previous = _sent;
        _sent = next;
        int epoch = Epoch;
        string listener = _config().InterBrokerListenerName;
        IReadOnlyList<BrokerNode> live = [.. next.Brokers.Values.Select(b => b.Node).OrderBy(b => b.Id)];

        // Brokers that left (or were replaced by a new registration) lose their sender; new ones get one.
        var joined = new HashSet<int>();
        foreach ((int id, (BrokerNode node, long brokerEpoch)) in next.Brokers)
        {
            if (previous is null || !previous.Brokers.TryGetValue(id, out var known) || known.Epoch != brokerEpoch)
            {
                joined.Add(id);
            }

            _channels.AddBroker(node, brokerEpoch);
        }

        var livenessChanged = new HashSet<int>(joined);
        foreach (int id in previous?.Brokers.Keys ?? [])
        {
            if (!next.Brokers.ContainsKey(id))
            {
                livenessChanged.Add(id);
                _channels.RemoveBroker(id);
            }
        }

        var changed = new List<(PartitionSnapshot Partition, bool IsNew)>();
        var updated = new List<PartitionSnapshot>();
        var stops = new Dictionary<int, List<StopReplicaEntry>>();
        var deletions = new Dictionary<int, List<StopReplicaEntry>>();
        foreach (PartitionSnapshot partition in next.Partitions.Values)
        {
            PartitionSnapshot? before = previous?.Partitions.GetValueOrDefault((partition.Topic, partition.Partition));
            if (before is null || !before.SameAs(partition))
            {
                changed.Add((partition, previous is not null && before is null));
                updated.Add(partition);
                foreach (int gone in before?.Replicas.Except(partition.Replicas) ?? [])
                {
                    // A reassignment moved this replica away: its log goes (Kafka: OfflineReplica → NonExistentReplica).
                    AddStop(stops, gone, new StopReplicaEntry(partition.Topic, partition.Partition, partition.State.LeaderEpoch, Delete: true));
                }
            }
            else if (partition.Replicas.Any(livenessChanged.Contains))
            {
                updated.Add(partition); // Its offline replicas changed.
            }
        }

        var deleted = new List<(string Topic, int Partition)>();
        foreach (PartitionSnapshot gone in previous?.Partitions.Values ?? [])
        {
            if (!next.Partitions.ContainsKey((gone.Topic, gone.Partition)))
            {
                deleted.Add((gone.Topic, gone.Partition));
                foreach (int replica in gone.Replicas)
                {
                    AddStop(deletions, replica, new StopReplicaEntry(gone.Topic, gone.Partition, ControllerFedMetadataCache.EpochDuringDelete, Delete: true));
                }
            }
        }

        // A broker that (re)joined while a deletion is pending gets its StopReplica now (Kafka resumes the deletion
        // when a replica's broker comes back), and hears in its full UpdateMetadata that those partitions are gone.
        List<(string Topic, int Partition)> goneForJoined = [.. deleted.Union(next.Deleting.Keys)];
        foreach (((string topic, int partition), IReadOnlyList<int> replicas) in next.Deleting)
        {
            foreach (int replica in replicas.Where(r => joined.Contains(r) && !_deletedReplicas.ContainsKey((topic, partition, r))))
            {
                if (!deletions.TryGetValue(replica, out List<StopReplicaEntry>? queued) || !queued.Any(e => e.Topic == topic && e.Partition == partition))
                {
                    AddStop(deletions, replica, new StopReplicaEntry(topic, partition, ControllerFedMetadataCache.EpochDuringDelete, Delete: true));
                }
            }
        }

        bool anyChange = livenessChanged.Count > 0 || updated.Count > 0 || deleted.Count > 0;
        foreach ((int id, (BrokerNode _, long brokerEpoch)) in next.Brokers)
        {
            if (joined.Contains(id))
            {
                List<(PartitionSnapshot, bool)> hosted = [.. next.Partitions.Values.Where(p => p.Replicas.Contains(id)).Select(p => (p, false))];
                _channels.Enqueue(id, new UpdateMetadataControllerRequest(_brokerId, epoch, brokerEpoch, full: true, live, [.. next.Partitions.Values], goneForJoined));
                _channels.Enqueue(id, LeaderAndIsrFor(brokerEpoch, full: true, hosted, next, listener));
            }
            else
            {
                List<(PartitionSnapshot, bool)> hosted = [.. changed.Where(c => c.Partition.Replicas.Contains(id))];
                if (hosted.Count > 0)
                {
                    _channels.Enqueue(id, LeaderAndIsrFor(brokerEpoch, full: false, hosted, next, listener));
                }

                if (anyChange)
                {
                    _channels.Enqueue(id, new UpdateMetadataControllerRequest(_brokerId, epoch, brokerEpoch, full: false, live, updated, deleted));
                }
            }

            if (stops.TryGetValue(id, out List<StopReplicaEntry>? entries))
            {
                _channels.Enqueue(id, new StopReplicaControllerRequest(_brokerId, epoch, brokerEpoch, entries));
            }

            if (deletions.TryGetValue(id, out List<StopReplicaEntry>? deleting))
            {
                _channels.Enqueue(id, DeletionStopReplica(id, epoch, brokerEpoch, deleting));
            }
        }

        if (anyChange || joined.Count > 0)
        {
            Propagated(_logger, joined.Count, changed.Count, deleted.Count, next.Brokers.Count);
        }
    }

    private LeaderAndIsrControllerRequest LeaderAndIsrFor(
        long brokerEpoch, bool full, IReadOnlyList<(PartitionSnapshot Partition, bool IsNew)> partitions, ClusterSnapshot snapshot, string listener)
    {
        IReadOnlyList<BrokerNode> leaders = [.. partitions
            .Select(p => p.Partition.State.Leader)
            .Distinct()
            .Where(snapshot.Brokers.ContainsKey)
            .Select(id => snapshot.Brokers[id].Node)];
        return new LeaderAndIsrControllerRequest(_brokerId, Epoch, brokerEpoch, full, partitions, leaders, listener);
    }

    private static void AddStop(Dictionary<int, List<StopReplicaEntry>> stops, int broker, StopReplicaEntry entry)
    {
        if (!stops.TryGetValue(broker, out List<StopReplicaEntry>? list))
        {
            stops[broker] = list = [];
        }

        list.Add(entry);
    }

    /// <summary>
    /// Reads the cluster. A topic or partition state that cannot be read (malformed, logged once) keeps what the
    /// brokers were last told: only a topic gone from /brokers/topics counts as deleted, never one that is unreadable.
    /// </summary>
    private async Task<ClusterSnapshot> ReadSnapshotAsync(ClusterSnapshot? previous)
    {
        ZooKeeperClient zk = _session.Client;
        var brokers = new Dictionary<int, (BrokerNode, long)>();
        foreach (string child in await zk.GetChildrenAsync(ZkPaths.BrokerIds, _stop.Token).ConfigureAwait(false))
        {
            if (!int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                continue;
            }

            ZNodeData data;
            try
            {
                data = await zk.GetDataAsync(ZkPaths.Broker(id), _stop.Token).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                continue;
            }

            try
            {
                brokers[id] = (BrokerRegistrationZNode.Decode(id, data.Data), data.Stat.Czxid);
            }
            catch (MalformedZNodeException e)
            {
                ReportMalformed(ZkPaths.Broker(id), e.Reason, data.Stat.Mzxid);
            }
        }

        var partitions = new Dictionary<(string, int), PartitionSnapshot>();
        var deleting = new Dictionary<(string, int), IReadOnlyList<int>>();
        IReadOnlySet<string> marked = (await zk.GetChildrenAsync(ZkPaths.DeleteTopics, _stop.Token).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (string topic in await zk.GetChildrenAsync(ZkPaths.Topics, _stop.Token).ConfigureAwait(false))
        {
            if (marked.Contains(topic))
            {
                if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is { } doomed)
                {
                    for (int p = 0; p < doomed.Replicas.Count; p++)
                    {
                        deleting[(topic, p)] = doomed.Replicas[p];
                    }
                }

                continue;
            }

            if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
            {
                foreach (PartitionSnapshot known in previous?.Partitions.Values.Where(k => k.Topic == topic) ?? [])
                {
                    partitions[(topic, known.Partition)] = known;
                }

                continue;
            }

            if (read.Assignment.TopicId is not { } topicId)
            {
                continue; // The reconciliation gives it an id first.
            }

            for (int p = 0; p < read.Replicas.Count; p++)
            {
                if (await ReadStateAsync(topic, p).ConfigureAwait(false) is not { } state)
                {
                    if (previous?.Partitions.GetValueOrDefault((topic, p)) is { } known)
                    {
                        partitions[(topic, p)] = known;
                    }

                    continue;
                }

                partitions[(topic, p)] = new PartitionSnapshot(topic, p, topicId, read.Replicas[p],
                    read.Assignment.AddingReplicas.GetValueOrDefault(p) ?? [], read.Assignment.RemovingReplicas.GetValueOrDefault(p) ?? [], state);
            }
        }

        return new ClusterSnapshot(brokers, partitions, deleting);
    }

    [LoggerMessage(EventId = 245, Level = LogLevel.Information, Message = "Controller requests queued: {Joined} brokers told everything, {Changed} partitions changed, {Deleted} deleted, {Live} live brokers")]
    private static partial void Propagated(ILogger logger, int joined, int changed, int deleted, int live);
}
