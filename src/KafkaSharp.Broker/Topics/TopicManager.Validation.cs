using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Topics;

public sealed partial class TopicManager
{
    /// <summary>
    /// Kafka's checks for a new topic, in ZkAdminManager.createTopics' order: exists, null configs, assignment
    /// versus counts, defaults, placement, name, collision, configs. Throws <see cref="KafkaApiException"/>.
    /// </summary>
    private (IReadOnlyList<IReadOnlyList<int>> Assignment, TopicConfig Config, Dictionary<string, string> Overrides) Validate(TopicCreation request)
    {
        ClusterImage image = _metadata.Current;
        BrokerConfig broker = _config();
        if (image.TryGetTopic(request.Name, out _))
        {
            throw new KafkaApiException(ErrorCode.TopicAlreadyExists, $"Topic '{request.Name}' already exists.");
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string? value) in request.Configs ?? new Dictionary<string, string?>())
        {
            overrides[key] = value ?? throw new KafkaApiException(ErrorCode.InvalidConfig, $"Null value not supported for topic configs: {key}");
        }

        bool hasAssignments = request.Assignments is { Count: > 0 };
        if (hasAssignments && (request.NumPartitions != -1 || request.ReplicationFactor != -1))
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
        }

        IReadOnlyList<int> brokers = [.. image.Brokers.Select(b => b.Id)];
        IReadOnlyList<IReadOnlyList<int>> assignment = hasAssignments
            ? ExplicitAssignment(request.Assignments!, brokers)
            : ReplicaAssigner.Assign(
                ReplicaAssigner.PlacementBrokers(image.Brokers),
                request.NumPartitions == -1 ? broker.NumPartitions : request.NumPartitions,
                request.ReplicationFactor == -1 ? broker.DefaultReplicationFactor : request.ReplicationFactor);

        if (TopicNames.Validate(request.Name) is { } nameError)
        {
            throw new KafkaApiException(ErrorCode.InvalidTopicException, nameError);
        }

        if (TopicNames.HasCollisionChars(request.Name))
        {
            foreach (string existing in image.TopicsByName.Keys)
            {
                if (TopicNames.Collide(existing, request.Name))
                {
                    throw new KafkaApiException(ErrorCode.InvalidTopicException, $"Topic '{request.Name}' collides with existing topic: {existing}");
                }
            }

            // kafka-topics.sh's warning for user topics; Kafka creates its internal topics without it.
            if (!InternalTopics.IsInternal(request.Name))
            {
                CollisionWarning(_logger, request.Name);
            }
        }

        try
        {
            return (assignment, TopicConfig.Create(broker, overrides), overrides);
        }
        catch (ConfigException e)
        {
            throw new KafkaApiException(ErrorCode.InvalidConfig, e.Message, e);
        }
    }

    /// <summary>Partitions 0..n-1, each with the same number of distinct, known brokers.</summary>
    private static IReadOnlyList<IReadOnlyList<int>> ExplicitAssignment(IReadOnlyDictionary<int, IReadOnlyList<int>> assignments, IReadOnlyList<int> brokers)
    {
        var result = new List<IReadOnlyList<int>>(assignments.Count);
        for (int p = 0; p < assignments.Count; p++)
        {
            if (!assignments.TryGetValue(p, out IReadOnlyList<int>? replicas))
            {
                throw new KafkaApiException(ErrorCode.InvalidReplicaAssignment, "Partitions should be a consecutive 0-based integer sequence.");
            }

            if (replicas.Count == 0)
            {
                throw new KafkaApiException(ErrorCode.InvalidReplicaAssignment, $"Replica assignment for partition {p} is empty.");
            }

            if (replicas.Distinct().Count() != replicas.Count)
            {
                throw new KafkaApiException(ErrorCode.InvalidReplicaAssignment, $"Duplicate replica assignment found: {string.Join(", ", replicas)}");
            }

            if (result.Count > 0 && replicas.Count != result[0].Count)
            {
                throw new KafkaApiException(ErrorCode.InvalidReplicaAssignment, "All partitions should have the same number of replicas");
            }

            int[] unknown = [.. replicas.Where(b => !brokers.Contains(b))];
            if (unknown.Length > 0)
            {
                throw new KafkaApiException(ErrorCode.InvalidReplicaAssignment, $"Unknown broker(s) in replica assignment: {string.Join(", ", unknown)}.");
            }

            result.Add(replicas);
        }

        return result;
    }
}
