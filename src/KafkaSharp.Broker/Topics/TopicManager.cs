using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;
using KafkaSharp.Storage.Config;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Topics;

/// <summary>
/// Creates, deletes and grows topics with Kafka's checks and error codes (ZkAdminManager's order), over any
/// <see cref="IClusterMetadata"/>. Logs follow through the metadata change (see <c>PartitionManager</c>).
/// </summary>
public sealed partial class TopicManager
{
    private readonly IClusterMetadata _metadata;
    private readonly Func<BrokerConfig> _config;
    private readonly ILogger _logger;

    /// <param name="config">The current broker config (it may change dynamically).</param>
    public TopicManager(IClusterMetadata metadata, Func<BrokerConfig> config, ILogger logger)
    {
        _metadata = metadata;
        _config = config;
        _logger = logger;
    }

    /// <summary>The topic's effective config; overrides that no longer validate fall back to the broker's defaults.</summary>
    public TopicConfig ConfigFor(TopicState topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        try
        {
            return TopicConfig.Create(_config(), topic.Configs);
        }
        catch (ConfigException e)
        {
            TopicConfigInvalid(_logger, topic.Name, e.Message);
            return TopicConfig.Create(_config());
        }
    }

    public LogConfig LogConfigFor(TopicState topic) => LogConfigs.From(ConfigFor(topic));

    public async ValueTask<TopicCreationResult> CreateTopicAsync(TopicCreation request, bool validateOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            (IReadOnlyList<IReadOnlyList<int>> assignment, TopicConfig config, Dictionary<string, string> overrides) = Validate(request);
            if (validateOnly)
            {
                var preview = new TopicState(request.Name, Guid.Empty, [.. assignment.Select((r, i) => new PartitionState(i, r[0], 0, r, r, []))], overrides);
                return new TopicCreationResult(ErrorCode.None, null, preview, config);
            }

            TopicState topic = await _metadata.CreateTopicAsync(request.Name, assignment, overrides, cancellationToken).ConfigureAwait(false);
            string topicId = KafkaUuid.ToString(topic.TopicId);
            TopicCreated(_logger, topic.Name, topicId, topic.Partitions.Count, assignment[0].Count);
            return new TopicCreationResult(ErrorCode.None, null, topic, config);
        }
        catch (KafkaApiException e)
        {
            return TopicCreationResult.Failed(e.ErrorCode, e.Message);
        }
    }

    /// <summary>Creates a topic a client asked for by name (Metadata auto-creation), with the broker's defaults.</summary>
    public ValueTask<TopicCreationResult> AutoCreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        BrokerConfig config = _config();
        TopicCreation creation = name switch
        {
            InternalTopics.ConsumerOffsets => new TopicCreation(name, config.OffsetsTopicNumPartitions, OffsetsTopicReplicationFactor(config),
                Configs: new Dictionary<string, string?>
                {
                    ["cleanup.policy"] = "compact",
                    ["compression.type"] = "producer",
                    ["segment.bytes"] = config.OffsetsTopicSegmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            InternalTopics.TransactionState => new TopicCreation(name, config.TransactionStateLogNumPartitions, config.TransactionStateLogReplicationFactor,
                Configs: new Dictionary<string, string?>
                {
                    ["cleanup.policy"] = "compact",
                    ["compression.type"] = "uncompressed",
                    ["min.insync.replicas"] = config.TransactionStateLogMinIsr.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            _ => new TopicCreation(name),
        };
        return CreateTopicAsync(creation, validateOnly: false, cancellationToken);
    }

    /// <summary>
    /// offsets.topic.replication.factor capped at the live brokers. Kafka refuses to create <c>__consumer_offsets</c>
    /// with fewer live brokers than the factor (default 3), so groups never work on a single broker until the setting
    /// is lowered; this broker creates it with what there is and says so.
    /// </summary>
    private short OffsetsTopicReplicationFactor(BrokerConfig config)
    {
        short wanted = config.OffsetsTopicReplicationFactor;
        int live = Math.Max(1, _metadata.Current.Brokers.Count);
        if (wanted <= live)
        {
            return wanted;
        }

        OffsetsReplicationCapped(_logger, wanted, live);
        return (short)live;
    }

    /// <summary>Deletes a topic (the caller resolved it by name or id).</summary>
    public async ValueTask<(ErrorCode Error, string? Message)> DeleteTopicAsync(TopicState topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.IsInternal)
        {
            // Kafka's own broker lets an admin client delete these (only kafka-topics.sh refuses); losing
            // __consumer_offsets silently drops every group's offsets, so this broker refuses.
            return (ErrorCode.InvalidRequest, $"Topic {topic.Name} is an internal topic and cannot be deleted.");
        }

        try
        {
            await _metadata.DeleteTopicAsync(topic.TopicId, cancellationToken).ConfigureAwait(false);
            string topicId = KafkaUuid.ToString(topic.TopicId);
            TopicDeleted(_logger, topic.Name, topicId);
            return (ErrorCode.None, null);
        }
        catch (KafkaApiException e)
        {
            return (e.ErrorCode, e.Message);
        }
    }

    /// <summary>
    /// Grows a topic to <paramref name="totalCount"/> partitions, with explicit assignments for the new ones or
    /// placed like a new topic's.
    /// </summary>
    public async ValueTask<(ErrorCode Error, string? Message)> CreatePartitionsAsync(
        string name,
        int totalCount,
        IReadOnlyList<IReadOnlyList<int>>? assignments,
        bool validateOnly,
        CancellationToken cancellationToken = default)
    {
        ClusterImage image = _metadata.Current;
        if (!image.TryGetTopic(name, out TopicState? topic))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.");
        }

        int current = topic.Partitions.Count;
        if (totalCount < current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic currently has {current} partitions, which is higher than the requested {totalCount}.");
        }

        if (totalCount == current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic already has {current} partitions.");
        }

        int increment = totalCount - current;
        IReadOnlyList<int> brokers = [.. image.Brokers.Select(b => b.Id)];
        IReadOnlyList<IReadOnlyList<int>> newPartitions;
        if (assignments is not null)
        {
            int[] unknown = [.. assignments.SelectMany(a => a).Distinct().Where(b => !brokers.Contains(b)).Order()];
            if (unknown.Length > 0)
            {
                return (ErrorCode.InvalidReplicaAssignment, $"Unknown broker(s) in replica assignment: {string.Join(", ", unknown)}.");
            }

            if (assignments.Count != increment)
            {
                return (ErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {increment} but {assignments.Count} assignments provided.");
            }

            int replicationFactor = topic.Partitions.Count > 0 ? topic.Partitions[0].Replicas.Count : 1;
            foreach (IReadOnlyList<int> replicas in assignments)
            {
                if (replicas.Count != replicationFactor)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Inconsistent replication factor between partitions, partition 0 has {replicationFactor} while partitions [{current}] have replication factors [{replicas.Count}], respectively.");
                }

                if (replicas.Distinct().Count() != replicas.Count)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Duplicate brokers not allowed in replica assignment: {string.Join(", ", replicas)}.");
                }
            }

            newPartitions = assignments;
        }
        else
        {
            int replicationFactor = topic.Partitions.Count > 0 ? topic.Partitions[0].Replicas.Count : 1;
            if (replicationFactor > brokers.Count)
            {
                return (ErrorCode.InvalidReplicationFactor, $"Replication factor: {replicationFactor} larger than available brokers: {brokers.Count}.");
            }

            // Kafka's AdminZkClient.createPartitions: continue partition 0's walk over the brokers in id order.
            IReadOnlyList<PlacementBroker> placement = ReplicaAssigner.PlacementBrokers(image.Brokers);
            int startIndex = topic.Partitions.Count > 0 && topic.Partitions[0].Replicas.Count > 0
                ? ReplicaAssigner.StartIndexForNewPartitions(placement, topic.Partitions[0].Replicas[0])
                : 0;
            newPartitions = ReplicaAssigner.Assign(placement, increment, replicationFactor, startIndex, current);
        }

        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }

        try
        {
            await _metadata.AddPartitionsAsync(topic.TopicId, newPartitions, cancellationToken).ConfigureAwait(false);
            PartitionsAdded(_logger, name, current, totalCount);
            return (ErrorCode.None, null);
        }
        catch (KafkaApiException e)
        {
            return (e.ErrorCode, e.Message);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Created topic {Topic} (id {TopicId}) with {Partitions} partitions, replication factor {ReplicationFactor}")]
    private static partial void TopicCreated(ILogger logger, string topic, string topicId, int partitions, int replicationFactor);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Deleted topic {Topic} (id {TopicId})")]
    private static partial void TopicDeleted(ILogger logger, string topic, string topicId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Topic {Topic} grew from {From} to {To} partitions")]
    private static partial void PartitionsAdded(ILogger logger, string topic, int from, int to);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Topic {Topic} has invalid config overrides, using broker defaults: {Reason}")]
    private static partial void TopicConfigInvalid(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Topic {Topic} contains '.' or '_': topics differing only in those characters collide in metric names")]
    private static partial void CollisionWarning(ILogger logger, string topic);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Creating __consumer_offsets with replication factor {Live} instead of offsets.topic.replication.factor {Wanted}: only {Live} live broker(s)")]
    private static partial void OffsetsReplicationCapped(ILogger logger, int wanted, int live);
}
