using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using static KafkaSharp.Protocol.Messages.StopReplicaRequest;
using static KafkaSharp.Protocol.Messages.StopReplicaResponse;

namespace KafkaSharp.Broker.Cluster;

/// <summary>What a StopReplica decided: the response, and the partitions whose local logs must now be deleted.</summary>
public sealed record StopReplicaOutcome(StopReplicaResponse Response, IReadOnlyList<TopicPartition> PartitionsToDelete);

public sealed partial class ControllerFedMetadataCache
{
    /// <summary>
    /// Applies a StopReplica (v0–4) as Kafka's ReplicaManager.stopReplicas: a stale broker or controller epoch fails
    /// the whole request (top-level error, no partitions). Otherwise a hosted partition is stopped when the request's
    /// leader epoch is <see cref="EpochDuringDelete"/>, <see cref="NoEpoch"/> or not older than the one held (else
    /// FENCED_LEADER_EPOCH); with delete it stops being hosted and its log is to be deleted — also when this broker
    /// no longer knew it (a topic deleted while the broker was down). The caller deletes the logs and overwrites a
    /// partition's error with KAFKA_STORAGE_ERROR when that fails.
    /// </summary>
    public StopReplicaOutcome ApplyStopReplica(StopReplicaRequest request, short version)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (IsBrokerEpochStale(request.BrokerEpoch))
            {
                StaleBrokerEpoch(_logger, "StopReplica", request.ControllerId, request.BrokerEpoch, _brokerEpoch);
                return new StopReplicaOutcome(new StopReplicaResponse { ErrorCode = (short)ErrorCode.StaleBrokerEpoch }, []);
            }

            if (request.ControllerEpoch < _controllerEpoch)
            {
                StaleControllerEpoch(_logger, "StopReplica", request.ControllerId, request.ControllerEpoch, _controllerEpoch);
                return new StopReplicaOutcome(new StopReplicaResponse { ErrorCode = (short)ErrorCode.StaleControllerEpoch }, []);
            }

            _controllerEpoch = request.ControllerEpoch;
            var response = new StopReplicaResponse { ErrorCode = (short)ErrorCode.None };
            var toDelete = new List<TopicPartition>();
            foreach ((TopicPartition tp, int leaderEpoch, bool delete) in PartitionsOf(request, version))
            {
                ErrorCode error = StopPartition(tp, leaderEpoch, delete, toDelete);
                response.PartitionErrors.Add(new StopReplicaPartitionError { TopicName = tp.Topic, PartitionIndex = tp.Partition, ErrorCode = (short)error });
            }

            Publish();
            return new StopReplicaOutcome(response, toDelete);
        }
    }

    private ErrorCode StopPartition(TopicPartition tp, int leaderEpoch, bool delete, List<TopicPartition> toDelete)
    {
        if (_localReplicas.TryGetValue(tp, out LocalReplica? held)
            && leaderEpoch != EpochDuringDelete && leaderEpoch != NoEpoch && leaderEpoch < held.State.LeaderEpoch)
        {
            PartitionStateIgnored(_logger, tp.ToString(), $"StopReplica leader epoch {leaderEpoch} is older than the held {held.State.LeaderEpoch}");
            return ErrorCode.FencedLeaderEpoch;
        }

        if (delete)
        {
            _localReplicas.Remove(tp);
            toDelete.Add(tp);
        }
        else if (held is not null)
        {
            _localReplicas[tp] = held with { Stopped = true };
        }

        return ErrorCode.None;
    }

    /// <summary>v0 lists partitions, v1–2 group them by topic (one delete flag for all); v3+ carry a leader epoch and delete flag each.</summary>
    private static List<(TopicPartition, int, bool)> PartitionsOf(StopReplicaRequest request, short version)
    {
        var result = new List<(TopicPartition, int, bool)>();
        if (version == 0)
        {
            foreach (StopReplicaPartitionV0 p in request.UngroupedPartitions)
            {
                result.Add((new TopicPartition(p.TopicName, p.PartitionIndex), NoEpoch, request.DeletePartitions));
            }
        }
        else if (version <= 2)
        {
            foreach (StopReplicaTopicV1 topic in request.Topics)
            {
                foreach (int p in topic.PartitionIndexes)
                {
                    result.Add((new TopicPartition(topic.Name, p), NoEpoch, request.DeletePartitions));
                }
            }
        }
        else
        {
            foreach (StopReplicaTopicState topic in request.TopicStates)
            {
                foreach (StopReplicaPartitionState p in topic.PartitionStates)
                {
                    result.Add((new TopicPartition(topic.TopicName, p.PartitionIndex), p.LeaderEpoch, p.DeletePartition));
                }
            }
        }

        return result;
    }
}
