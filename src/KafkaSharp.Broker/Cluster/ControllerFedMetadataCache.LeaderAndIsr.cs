using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using static KafkaSharp.Protocol.Messages.LeaderAndIsrRequest;
using static KafkaSharp.Protocol.Messages.LeaderAndIsrResponse;

namespace KafkaSharp.Broker.Cluster;

public sealed partial class ControllerFedMetadataCache
{
    /// <summary>
    /// Applies a LeaderAndIsr (v0–7) as Kafka's ReplicaManager.becomeLeaderOrFollower: a stale broker or controller
    /// epoch fails every partition; otherwise each partition whose leader epoch is newer than the one held here is
    /// taken (this broker leads it or follows), one that does not list this broker among its replicas is
    /// UNKNOWN_TOPIC_OR_PARTITION, one with an older or equal leader epoch is STALE_CONTROLLER_EPOCH, and one whose
    /// topic id differs from the id held is INCONSISTENT_TOPIC_ID. A partition whose local log sits in an offline log
    /// dir (<paramref name="isOffline"/>) is KAFKA_STORAGE_ERROR and left as it was.
    /// </summary>
    public LeaderAndIsrResponse ApplyLeaderAndIsr(LeaderAndIsrRequest request, short version, Func<TopicPartition, bool>? isOffline = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<(string Topic, Guid TopicId, LeaderAndIsrPartitionState State)> states = PartitionStatesOf(request, version);
        lock (_lock)
        {
            if (IsBrokerEpochStale(request.BrokerEpoch))
            {
                StaleBrokerEpoch(_logger, "LeaderAndIsr", request.ControllerId, request.BrokerEpoch, _brokerEpoch);
                return ErrorResponse(states, version, ErrorCode.StaleBrokerEpoch);
            }

            if (request.ControllerEpoch < _controllerEpoch)
            {
                StaleControllerEpoch(_logger, "LeaderAndIsr", request.ControllerId, request.ControllerEpoch, _controllerEpoch);
                return ErrorResponse(states, version, ErrorCode.StaleControllerEpoch);
            }

            _controllerEpoch = request.ControllerEpoch;
            var errors = new List<ErrorCode>(states.Count);
            foreach ((string topic, Guid topicId, LeaderAndIsrPartitionState state) in states)
            {
                if (isOffline?.Invoke(new TopicPartition(topic, state.PartitionIndex)) == true)
                {
                    PartitionStateIgnored(_logger, $"{topic}-{state.PartitionIndex}", "its log is in an offline log directory");
                    errors.Add(ErrorCode.KafkaStorageError);
                    continue;
                }

                errors.Add(ApplyPartition(topic, topicId, state));
            }

            Publish();
            return Response(states, errors, version, ErrorCode.None);
        }
    }

    private ErrorCode ApplyPartition(string topic, Guid topicId, LeaderAndIsrPartitionState state)
    {
        var tp = new TopicPartition(topic, state.PartitionIndex);
        _localReplicas.TryGetValue(tp, out LocalReplica? held);
        Guid knownId = held?.TopicId ?? (_metadataTopics.TryGetValue(topic, out MetadataTopic? m) ? m.TopicId : Guid.Empty);
        if (topicId != Guid.Empty && knownId != Guid.Empty && topicId != knownId)
        {
            PartitionStateIgnored(_logger, tp.ToString(), $"topic id {KafkaUuid.ToString(topicId)} differs from the held {KafkaUuid.ToString(knownId)}");
            return ErrorCode.InconsistentTopicId;
        }

        int currentEpoch = held?.State.LeaderEpoch ?? -1;
        if (state.LeaderEpoch > currentEpoch || (held is { Stopped: true } && state.LeaderEpoch == currentEpoch))
        {
            if (!state.Replicas.Contains(_brokerId))
            {
                PartitionStateIgnored(_logger, tp.ToString(), $"this broker is not in its replica list {string.Join(",", state.Replicas)}");
                return ErrorCode.UnknownTopicOrPartition;
            }

            var partition = new PartitionState(state.PartitionIndex, state.Leader, state.LeaderEpoch, [.. state.Replicas], [.. state.Isr], [], state.PartitionEpoch);
            _localReplicas[tp] = new LocalReplica(topicId != Guid.Empty ? topicId : knownId, partition, Stopped: false);
            return ErrorCode.None;
        }

        if (state.LeaderEpoch == currentEpoch && topicId != Guid.Empty && held!.TopicId == Guid.Empty)
        {
            // The controller sends the topic id without bumping the epoch when topic ids are first introduced.
            _localReplicas[tp] = held with { TopicId = topicId };
            return ErrorCode.None;
        }

        LeaderEpochNotNewer(_logger, tp, state.LeaderEpoch, currentEpoch);
        return ErrorCode.StaleControllerEpoch;
    }

    /// <summary>v0–1 list partitions with their topic names; v2+ group them by topic (v5+ with topic ids).</summary>
    private static List<(string, Guid, LeaderAndIsrPartitionState)> PartitionStatesOf(LeaderAndIsrRequest request, short version)
    {
        var result = new List<(string, Guid, LeaderAndIsrPartitionState)>();
        if (version < 2)
        {
            foreach (LeaderAndIsrPartitionState state in request.UngroupedPartitionStates)
            {
                result.Add((state.TopicName, Guid.Empty, state));
            }

            return result;
        }

        foreach (LeaderAndIsrTopicState topic in request.TopicStates)
        {
            foreach (LeaderAndIsrPartitionState state in topic.PartitionStates)
            {
                result.Add((topic.TopicName, version >= 5 ? topic.TopicId : Guid.Empty, state));
            }
        }

        return result;
    }

    private static LeaderAndIsrResponse ErrorResponse(List<(string, Guid, LeaderAndIsrPartitionState)> states, short version, ErrorCode error) =>
        Response(states, [.. Enumerable.Repeat(error, states.Count)], version, error);

    /// <summary>Errors per partition: a flat list before v5, grouped by topic id from v5 (as Kafka's LeaderAndIsrResponse).</summary>
    private static LeaderAndIsrResponse Response(
        List<(string Topic, Guid TopicId, LeaderAndIsrPartitionState State)> states, List<ErrorCode> errors, short version, ErrorCode topLevel)
    {
        var response = new LeaderAndIsrResponse { ErrorCode = (short)topLevel };
        if (version < 5)
        {
            for (int i = 0; i < states.Count; i++)
            {
                response.PartitionErrors.Add(new LeaderAndIsrPartitionError
                {
                    TopicName = states[i].Topic,
                    PartitionIndex = states[i].State.PartitionIndex,
                    ErrorCode = (short)errors[i],
                });
            }

            return response;
        }

        var byTopic = new Dictionary<(string, Guid), LeaderAndIsrTopicError>();
        for (int i = 0; i < states.Count; i++)
        {
            (string topic, Guid topicId, LeaderAndIsrPartitionState state) = states[i];
            if (!byTopic.TryGetValue((topic, topicId), out LeaderAndIsrTopicError? entry))
            {
                byTopic[(topic, topicId)] = entry = new LeaderAndIsrTopicError { TopicId = topicId };
                response.Topics.Add(entry);
            }

            entry.PartitionErrors.Add(new LeaderAndIsrPartitionError { PartitionIndex = state.PartitionIndex, ErrorCode = (short)errors[i] });
        }

        return response;
    }
}
