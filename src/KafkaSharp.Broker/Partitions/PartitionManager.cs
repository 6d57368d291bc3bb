using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Partitions;

/// <summary>
/// Keeps the logs on disk in step with cluster metadata: a partition assigned to this broker gets a log (with the
/// topic's effective config and id), a deleted topic's logs are deleted, a config change reaches the logs. Produce,
/// Fetch, ListOffsets and friends find their log here with the error code Kafka would answer.
/// </summary>
public sealed partial class PartitionManager
{
    private readonly int _brokerId;
    private readonly IClusterMetadata _metadata;
    private readonly LogManager _logs;
    private readonly Func<TopicState, LogConfig> _logConfig;
    private readonly ILogger _logger;
    private readonly Lock _reconcileLock = new();
    private readonly Func<string, int, bool> _hostsReplica;
    private readonly bool _controllerFed;

    /// <summary>Logs checked to belong to the current topic id (checked once per process: it reads a file).</summary>
    private readonly ConcurrentDictionary<TopicPartition, Guid> _verified = new();

    /// <param name="hostsReplica">
    /// Whether this broker hosts a replica of (topic, partition). By default: the partition's replicas list it (the
    /// embedded single broker). In ZooKeeper mode only partitions LeaderAndIsr placed here (see
    /// <see cref="ControllerFedMetadataCache.IsHostedLocally"/>), as Kafka creates logs only on LeaderAndIsr.
    /// </param>
    public PartitionManager(
        int brokerId,
        IClusterMetadata metadata,
        LogManager logs,
        Func<TopicState, LogConfig> logConfig,
        ILogger logger,
        Func<string, int, bool>? hostsReplica = null)
    {
        _brokerId = brokerId;
        _controllerFed = hostsReplica is not null;
        _hostsReplica = hostsReplica ?? ((topic, partition) =>
            _metadata!.Current.TryGetTopic(topic, out TopicState? state)
            && partition < state.Partitions.Count
            && state.Partitions[partition].Replicas.Contains(_brokerId));
        _metadata = metadata;
        _logs = logs;
        _logConfig = logConfig;
        _logger = logger;
    }

    /// <summary>
    /// Call once the log manager has loaded: creates missing logs, deletes logs of topics that no longer exist (or
    /// were re-created under a new id), then follows every metadata change.
    /// </summary>
    public void Start()
    {
        _metadata.Changed += OnChanged;
        Reconcile(_metadata.Current, deleteStrays: true);
    }

    public void Stop() => _metadata.Changed -= OnChanged;

    /// <summary>
    /// The partition's log when this broker leads it. Otherwise UNKNOWN_TOPIC_OR_PARTITION (no such topic or
    /// partition), NOT_LEADER_OR_FOLLOWER (another broker leads), or KAFKA_STORAGE_ERROR (its log dir is offline).
    /// </summary>
    public ErrorCode TryGetLeader(string topic, int partition, [NotNullWhen(true)] out HostedPartition? hosted)
    {
        hosted = null;
        return _metadata.Current.TryGetTopic(topic, out TopicState? state)
            ? TryGetLeader(state, partition, out hosted)
            : ErrorCode.UnknownTopicOrPartition;
    }

    /// <summary>As <see cref="TryGetLeader(string, int, out HostedPartition?)"/> by topic id: UNKNOWN_TOPIC_ID when absent.</summary>
    public ErrorCode TryGetLeader(Guid topicId, int partition, [NotNullWhen(true)] out HostedPartition? hosted)
    {
        hosted = null;
        return _metadata.Current.TryGetTopic(topicId, out TopicState? state)
            ? TryGetLeader(state, partition, out hosted)
            : ErrorCode.UnknownTopicId;
    }

    private ErrorCode TryGetLeader(TopicState topic, int partition, [NotNullWhen(true)] out HostedPartition? hosted)
    {
        hosted = null;
        if (partition < 0 || partition >= topic.Partitions.Count)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }

        PartitionState state = topic.Partitions[partition];
        if (state.Leader != _brokerId)
        {
            return ErrorCode.NotLeaderOrFollower;
        }

        PartitionLog? log = _logs.GetLog(new TopicPartition(topic.Name, partition));
        if (log is null && !_hostsReplica(topic.Name, partition))
        {
            // Metadata names this broker leader before LeaderAndIsr placed the replica here: not ours to serve yet.
            return ErrorCode.NotLeaderOrFollower;
        }

        if (log is null || log.IsOffline)
        {
            return ErrorCode.KafkaStorageError;
        }

        hosted = new HostedPartition(topic, state, log);
        return ErrorCode.None;
    }

    /// <summary>Every partition this broker holds a log for, with current metadata.</summary>
    public IReadOnlyList<HostedPartition> All
    {
        get
        {
            ClusterImage image = _metadata.Current;
            var result = new List<HostedPartition>();
            foreach (PartitionLog log in _logs.Logs)
            {
                if (image.TryGetTopic(log.TopicPartition.Topic, out TopicState? topic) && log.TopicPartition.Partition < topic.Partitions.Count)
                {
                    result.Add(new HostedPartition(topic, topic.Partitions[log.TopicPartition.Partition], log));
                }
            }

            return result;
        }
    }

    private void OnChanged(ClusterImage before, ClusterImage after)
    {
        foreach (TopicState old in before.TopicsByName.Values)
        {
            if (!after.TopicsById.ContainsKey(old.TopicId))
            {
                DeleteLogs(old.Name, old.Partitions.Count);
            }
        }

        Reconcile(after, deleteStrays: false);
    }

    private void Reconcile(ClusterImage image, bool deleteStrays)
    {
        lock (_reconcileLock)
        {
            if (deleteStrays)
            {
                DeleteStrayLogs(image);
            }

            foreach (TopicState topic in image.TopicsByName.Values)
            {
                LogConfig config = _logConfig(topic);
                foreach (PartitionState partition in topic.Partitions)
                {
                    if (!partition.Replicas.Contains(_brokerId) || !_hostsReplica(topic.Name, partition.Partition))
                    {
                        continue;
                    }

                    var tp = new TopicPartition(topic.Name, partition.Partition);
                    try
                    {
                        if (_logs.GetLog(tp) is { } existing
                            && !(_verified.TryGetValue(tp, out Guid verified) && verified == topic.TopicId)
                            && IsFromAnotherTopic(existing, topic))
                        {
                            PartitionLog_StrayDeleted(_logger, tp.ToString());
                            DeleteLog(tp);
                        }

                        PartitionLog log = _logs.GetOrCreateLog(tp, topic.TopicId, config);
                        _verified[tp] = topic.TopicId;
                        if (log.Config != config)
                        {
                            log.UpdateConfig(config);
                        }

                        StartLeaderEpoch(log, partition);
                    }
                    catch (StorageException e)
                    {
                        PartitionLog_CreateFailed(_logger, e, tp.ToString());
                    }
                }
            }
        }
    }

    /// <summary>
    /// On becoming leader with a new leader epoch, the epoch starts at the log end (Kafka's Partition.makeLeader), so
    /// OffsetForLeaderEpoch answers for it before the first append in it; appends then record it as they go. Only
    /// with a controller: the embedded broker's epoch never changes and its cache fills from appends alone.
    /// </summary>
    private void StartLeaderEpoch(PartitionLog log, PartitionState partition)
    {
        if (_controllerFed && partition.Leader == _brokerId && partition.LeaderEpoch > log.LeaderEpochs.LatestEpoch && !log.IsOffline)
        {
            log.LeaderEpochs.Assign(partition.LeaderEpoch, log.LogEndOffset);
        }
    }

    /// <summary>
    /// Deletes this broker's replica of a partition (StopReplica with delete): the log and its directory. An absent
    /// log is no error. KAFKA_STORAGE_ERROR when the directory cannot be removed.
    /// </summary>
    public ErrorCode DeleteReplica(TopicPartition topicPartition)
    {
        lock (_reconcileLock)
        {
            _verified.TryRemove(topicPartition, out _);
            try
            {
                _logs.DeleteLog(topicPartition);
                return ErrorCode.None;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException)
            {
                PartitionLog_DeleteFailed(_logger, e, topicPartition.ToString());
                return ErrorCode.KafkaStorageError;
            }
        }
    }

    /// <summary>
    /// At startup: a log whose stored topic id differs from the topic's (deleted and re-created while this broker
    /// was down) is deleted. A log of a topic metadata does not know is only reported: deleting data because a
    /// metadata file went missing would be worse than keeping a stray directory.
    /// </summary>
    private void DeleteStrayLogs(ClusterImage image)
    {
        foreach (PartitionLog log in _logs.Logs)
        {
            TopicPartition tp = log.TopicPartition;
            if (!image.TryGetTopic(tp.Topic, out TopicState? topic) || tp.Partition >= topic.Partitions.Count)
            {
                PartitionLog_Unknown(_logger, tp.ToString());
            }
            else if (!topic.Partitions[tp.Partition].Replicas.Contains(_brokerId) || IsFromAnotherTopic(log, topic))
            {
                PartitionLog_StrayDeleted(_logger, tp.ToString());
                DeleteLog(tp);
            }
        }
    }

    /// <summary>A log left by an earlier topic of the same name must not serve the new one.</summary>
    private static bool IsFromAnotherTopic(PartitionLog log, TopicState topic) =>
        ReadTopicId(log) is { } id && id != topic.TopicId;

    private static Guid? ReadTopicId(PartitionLog log)
    {
        try
        {
            return PartitionMetadataFile.Read(log.Directory);
        }
        catch (StorageException)
        {
            return null;
        }
    }

    private void DeleteLogs(string topic, int partitions)
    {
        lock (_reconcileLock)
        {
            for (int i = 0; i < partitions; i++)
            {
                DeleteLog(new TopicPartition(topic, i));
            }
        }
    }

    private void DeleteLog(TopicPartition tp)
    {
        _verified.TryRemove(tp, out _);
        try
        {
            _logs.DeleteLog(tp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException)
        {
            PartitionLog_DeleteFailed(_logger, e, tp.ToString());
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Cannot create the log of partition {Partition}")]
    private static partial void PartitionLog_CreateFailed(ILogger logger, Exception exception, string partition);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Cannot delete the log of partition {Partition}")]
    private static partial void PartitionLog_DeleteFailed(ILogger logger, Exception exception, string partition);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Deleting the log of partition {Partition}: it belongs to a deleted topic or is no longer assigned here")]
    private static partial void PartitionLog_StrayDeleted(ILogger logger, string partition);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Keeping the log of partition {Partition}, which cluster metadata does not know; delete it by hand if it is not needed")]
    private static partial void PartitionLog_Unknown(ILogger logger, string partition);
}
