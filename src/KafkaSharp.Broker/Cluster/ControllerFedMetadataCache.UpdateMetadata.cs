using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Cluster;

public sealed partial class ControllerFedMetadataCache
{
    /// <summary>
    /// Applies an UpdateMetadata (v0–8) as Kafka's ZkMetadataCache.updateMetadata: the live brokers and controller id
    /// are replaced; partition states are merged in (the request carries only those that changed), a partition whose
    /// leader is <see cref="LeaderDuringDelete"/> is removed, and a topic left with no partition goes with it.
    /// </summary>
    public UpdateMetadataResponse ApplyUpdateMetadata(UpdateMetadataRequest request, short version)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (IsBrokerEpochStale(request.BrokerEpoch))
            {
                StaleBrokerEpoch(_logger, "UpdateMetadata", request.ControllerId, request.BrokerEpoch, _brokerEpoch);
                return new UpdateMetadataResponse { ErrorCode = (short)ErrorCode.StaleBrokerEpoch };
            }

            if (request.ControllerEpoch < _controllerEpoch)
            {
                StaleControllerEpoch(_logger, "UpdateMetadata", request.ControllerId, request.ControllerEpoch, _controllerEpoch);
                return new UpdateMetadataResponse { ErrorCode = (short)ErrorCode.StaleControllerEpoch };
            }

            _controllerEpoch = request.ControllerEpoch;
            _controllerId = request.ControllerId;
            _liveBrokers = [.. request.LiveBrokers.Select(b => ToBrokerNode(b, version)).OrderBy(b => b.Id)];
            if (version >= 5)
            {
                foreach (UpdateMetadataRequest.UpdateMetadataTopicState topic in request.TopicStates)
                {
                    if (topic.TopicId != Guid.Empty)
                    {
                        MetadataTopicFor(topic.TopicName).TopicId = topic.TopicId;
                    }

                    foreach (UpdateMetadataRequest.UpdateMetadataPartitionState partition in topic.PartitionStates)
                    {
                        ApplyPartition(topic.TopicName, partition);
                    }
                }
            }
            else
            {
                foreach (UpdateMetadataRequest.UpdateMetadataPartitionState partition in request.UngroupedPartitionStates)
                {
                    ApplyPartition(partition.TopicName, partition);
                }
            }

            Publish();
            return new UpdateMetadataResponse { ErrorCode = (short)ErrorCode.None };
        }
    }

    private MetadataTopic MetadataTopicFor(string name)
    {
        if (!_metadataTopics.TryGetValue(name, out MetadataTopic? topic))
        {
            _metadataTopics[name] = topic = new MetadataTopic();
        }

        return topic;
    }

    private void ApplyPartition(string topicName, UpdateMetadataRequest.UpdateMetadataPartitionState partition)
    {
        if (partition.Leader == LeaderDuringDelete)
        {
            if (_metadataTopics.TryGetValue(topicName, out MetadataTopic? topic))
            {
                topic.Partitions.Remove(partition.PartitionIndex);
                if (topic.Partitions.Count == 0)
                {
                    // The whole topic is being deleted: drop this broker's replicas of it too, so it leaves the
                    // image now (its logs go; a StopReplica with delete that follows finds nothing left to do).
                    _metadataTopics.Remove(topicName);
                    foreach (TopicPartition tp in _localReplicas.Keys.Where(k => k.Topic == topicName).ToList())
                    {
                        _localReplicas.Remove(tp);
                    }
                }
            }

            return;
        }

        MetadataTopicFor(topicName).Partitions[partition.PartitionIndex] = new PartitionState(
            partition.PartitionIndex,
            partition.Leader,
            partition.LeaderEpoch,
            [.. partition.Replicas],
            [.. partition.Isr],
            [.. partition.OfflineReplicas],
            partition.ZkVersion);
    }

    /// <summary>
    /// v0 gives one PLAINTEXT host and port; v1–2 name each endpoint's listener by its security protocol; v3+ name
    /// the listener. Racks arrive from v2.
    /// </summary>
    private static BrokerNode ToBrokerNode(UpdateMetadataRequest.UpdateMetadataBroker broker, short version)
    {
        if (version == 0)
        {
            return new BrokerNode(broker.Id, null, [new BrokerEndpoint("PLAINTEXT", broker.V0Host, broker.V0Port, SecurityProtocol.Plaintext)]);
        }

        var endpoints = new List<BrokerEndpoint>(broker.Endpoints.Count);
        foreach (UpdateMetadataRequest.UpdateMetadataEndpoint endpoint in broker.Endpoints)
        {
            var protocol = (SecurityProtocol)endpoint.SecurityProtocol;
            if (!Enum.IsDefined(protocol))
            {
                continue; // a protocol this build does not know cannot be dialled or shown to clients
            }

            string listener = version >= 3 ? endpoint.Listener : protocol.ToKafkaName();
            endpoints.Add(new BrokerEndpoint(listener, endpoint.Host, endpoint.Port, protocol));
        }

        return new BrokerNode(broker.Id, version >= 2 && !string.IsNullOrEmpty(broker.Rack) ? broker.Rack : null, endpoints);
    }
}
