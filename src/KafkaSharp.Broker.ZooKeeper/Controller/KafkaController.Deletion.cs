using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>
/// Kafka's TopicDeletionManager: a topic marked in /admin/delete_topics is hidden from metadata (UpdateMetadata with
/// leader -2) and its replicas get StopReplica with delete; its znodes (and the marker) go only once every replica
/// confirmed. A replica whose broker is down keeps the topic pending (its partitions take no leadership changes, and
/// CreateTopics of the name answers TOPIC_ALREADY_EXISTS); when the broker registers again it gets the StopReplica.
/// </summary>
public sealed partial class KafkaController
{
    /// <summary>Replicas of topics being deleted that confirmed their StopReplica (delete) to this controller epoch.</summary>
    private readonly ConcurrentDictionary<(string Topic, int Partition, int Broker), byte> _deletedReplicas = new();

    /// <summary>A StopReplica (delete) for the partitions of topics being deleted, recording the broker's confirmations.</summary>
    private StopReplicaControllerRequest DeletionStopReplica(int brokerId, int epoch, long brokerEpoch, IReadOnlyList<StopReplicaEntry> entries) =>
        new(_brokerId, epoch, brokerEpoch, entries, confirmed =>
        {
            if (!_active || Epoch != epoch)
            {
                return; // A deposed controller's answers: the new one asks again.
            }

            foreach ((string topic, int partition) in confirmed)
            {
                _deletedReplicas.TryAdd((topic, partition, brokerId), 0);
            }

            RequestReconcile();
        });

    /// <summary>Last reported unconfirmed brokers per pending topic, so a pass logs only a change.</summary>
    private readonly Dictionary<string, string> _reportedPending = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the topic's deletion can complete: every replica of every partition confirmed it, or its assignment is
    /// unreadable (nothing to ask then). Logs the brokers still to confirm when they changed.
    /// </summary>
    private async Task<bool> DeletionConfirmedAsync(string topic)
    {
        if (await ReadAssignmentAsync(topic).ConfigureAwait(false) is not { } read)
        {
            return true;
        }

        var unconfirmed = new SortedSet<int>();
        for (int p = 0; p < read.Replicas.Count; p++)
        {
            foreach (int broker in read.Replicas[p].Where(b => !_deletedReplicas.ContainsKey((topic, p, b))))
            {
                unconfirmed.Add(broker);
            }
        }

        if (unconfirmed.Count == 0)
        {
            return true;
        }

        string brokers = string.Join(",", unconfirmed);
        if (!_reportedPending.TryGetValue(topic, out string? reported) || reported != brokers)
        {
            _reportedPending[topic] = brokers;
            DeletionPending(_logger, topic, unconfirmed);
        }

        return false;
    }

    private void ForgetDeletion(string topic)
    {
        _reportedPending.Remove(topic);
        foreach ((string Topic, int Partition, int Broker) key in _deletedReplicas.Keys.Where(k => k.Topic == topic))
        {
            _deletedReplicas.TryRemove(key, out _);
        }
    }

    [LoggerMessage(EventId = 214, Level = LogLevel.Information, Message = "Topic {Topic} stays marked for deletion until its replicas confirm it; unconfirmed on brokers [{Brokers}]")]
    private static partial void DeletionPending(ILogger logger, string topic, IEnumerable<int> brokers);
}
