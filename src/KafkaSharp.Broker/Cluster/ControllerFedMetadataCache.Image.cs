using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Cluster;

public sealed partial class ControllerFedMetadataCache
{
    private static readonly IReadOnlyDictionary<string, string> s_noConfigs = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Every topic either layer knows (with an id), partitions dense by index. A partition only one layer knows takes
    /// that state; one both know takes the newer leader epoch (LeaderAndIsr on a tie: it is this broker's own
    /// assignment); a gap (a LeaderAndIsr for partition 2 before UpdateMetadata told of 0 and 1) is shown leaderless.
    /// </summary>
    private List<TopicState> BuildTopics()
    {
        var local = new Dictionary<string, List<(int Partition, LocalReplica Replica)>>(StringComparer.Ordinal);
        foreach ((TopicPartition tp, LocalReplica replica) in _localReplicas)
        {
            if (!local.TryGetValue(tp.Topic, out List<(int, LocalReplica)>? list))
            {
                local[tp.Topic] = list = [];
            }

            list.Add((tp.Partition, replica));
        }

        var topics = new List<TopicState>(_metadataTopics.Count + local.Count);
        var ids = new HashSet<Guid>();
        foreach (string name in _metadataTopics.Keys.Union(local.Keys, StringComparer.Ordinal))
        {
            _metadataTopics.TryGetValue(name, out MetadataTopic? fromMetadata);
            local.TryGetValue(name, out List<(int Partition, LocalReplica Replica)>? fromLocal);
            Guid topicId = fromMetadata is { TopicId: var id } && id != Guid.Empty
                ? id
                : fromLocal?.Select(l => l.Replica.TopicId).FirstOrDefault(i => i != Guid.Empty) ?? Guid.Empty;
            if (topicId == Guid.Empty || !ids.Add(topicId))
            {
                TopicWithoutId(_logger, name);
                continue;
            }

            int count = Math.Max(
                fromMetadata is { Partitions.Count: > 0 } ? fromMetadata.Partitions.Keys.Max() + 1 : 0,
                fromLocal is { Count: > 0 } ? fromLocal.Max(l => l.Partition) + 1 : 0);
            var partitions = new PartitionState[count];
            for (int p = 0; p < count; p++)
            {
                PartitionState? m = null;
                fromMetadata?.Partitions.TryGetValue(p, out m);
                LocalReplica? l = fromLocal?.Find(x => x.Partition == p).Replica;
                partitions[p] = Merge(p, m, l is { Stopped: false } ? l.State : null);
            }

            topics.Add(new TopicState(name, topicId, partitions, _topicConfigs.GetValueOrDefault(name) ?? s_noConfigs));
        }

        return topics;
    }

    private static PartitionState Merge(int partition, PartitionState? fromMetadata, PartitionState? fromLeaderAndIsr)
    {
        if (fromLeaderAndIsr is null)
        {
            return fromMetadata ?? new PartitionState(partition, -1, -1, [], [], []);
        }

        if (fromMetadata is null)
        {
            return fromLeaderAndIsr;
        }

        return fromLeaderAndIsr.LeaderEpoch >= fromMetadata.LeaderEpoch
            ? fromLeaderAndIsr with { OfflineReplicas = fromMetadata.OfflineReplicas }
            : fromMetadata;
    }
}
