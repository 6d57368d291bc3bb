using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Protocol.Messages.LeaderAndIsrRequest;
using static KafkaSharp.Protocol.Messages.StopReplicaRequest;
using static KafkaSharp.Protocol.Messages.UpdateMetadataRequest;

namespace KafkaSharp.Broker.Tests.ControllerRequests;

/// <summary>Builds controller requests the way Kafka's controller fills them, for the tests.</summary>
internal static class ControllerRequests
{
    public static UpdateMetadataBroker Broker(int id, int port, string? rack = null) => new()
    {
        Id = id,
        V0Host = "127.0.0.1",
        V0Port = port,
        Rack = rack,
        Endpoints = [new UpdateMetadataEndpoint { Host = "127.0.0.1", Port = port, Listener = "PLAINTEXT", SecurityProtocol = (short)SecurityProtocol.Plaintext }],
    };

    public static UpdateMetadataRequest UpdateMetadata(
        int controllerEpoch, int controllerId, IEnumerable<UpdateMetadataBroker> brokers,
        string topic, Guid topicId, params (int Partition, int Leader, int LeaderEpoch, int[] Replicas)[] partitions) => new()
    {
        ControllerId = controllerId,
        ControllerEpoch = controllerEpoch,
        LiveBrokers = [.. brokers],
        TopicStates = topic.Length == 0 ? [] :
        [
            new UpdateMetadataTopicState
            {
                TopicName = topic,
                TopicId = topicId,
                PartitionStates = [.. partitions.Select(p => new UpdateMetadataPartitionState
                {
                    TopicName = topic,
                    PartitionIndex = p.Partition,
                    ControllerEpoch = controllerEpoch,
                    Leader = p.Leader,
                    LeaderEpoch = p.LeaderEpoch,
                    Isr = [.. p.Replicas],
                    Replicas = [.. p.Replicas],
                    ZkVersion = p.LeaderEpoch,
                })],
            },
        ],
    };

    public static LeaderAndIsrRequest LeaderAndIsr(
        int controllerEpoch, string topic, Guid topicId, params (int Partition, int Leader, int LeaderEpoch, int[] Replicas)[] partitions) => new()
    {
        ControllerId = 1,
        ControllerEpoch = controllerEpoch,
        TopicStates =
        [
            new LeaderAndIsrTopicState
            {
                TopicName = topic,
                TopicId = topicId,
                PartitionStates = [.. partitions.Select(p => State(topic, controllerEpoch, p))],
            },
        ],
    };

    /// <summary>v0–1 carry partitions ungrouped, each with its topic name.</summary>
    public static LeaderAndIsrRequest LeaderAndIsrV1(int controllerEpoch, string topic, params (int Partition, int Leader, int LeaderEpoch, int[] Replicas)[] partitions) => new()
    {
        ControllerId = 1,
        ControllerEpoch = controllerEpoch,
        UngroupedPartitionStates = [.. partitions.Select(p => State(topic, controllerEpoch, p))],
    };

    private static LeaderAndIsrPartitionState State(string topic, int controllerEpoch, (int Partition, int Leader, int LeaderEpoch, int[] Replicas) p) => new()
    {
        TopicName = topic,
        PartitionIndex = p.Partition,
        ControllerEpoch = controllerEpoch,
        Leader = p.Leader,
        LeaderEpoch = p.LeaderEpoch,
        Isr = [.. p.Replicas],
        PartitionEpoch = p.LeaderEpoch,
        Replicas = [.. p.Replicas],
    };

    public static StopReplicaRequest StopReplica(int controllerEpoch, string topic, params (int Partition, int LeaderEpoch, bool Delete)[] partitions) => new()
    {
        ControllerId = 1,
        ControllerEpoch = controllerEpoch,
        TopicStates =
        [
            new StopReplicaTopicState
            {
                TopicName = topic,
                PartitionStates = [.. partitions.Select(p => new StopReplicaPartitionState { PartitionIndex = p.Partition, LeaderEpoch = p.LeaderEpoch, DeletePartition = p.Delete })],
            },
        ],
    };
}
