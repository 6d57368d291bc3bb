using KafkaSharp.Broker.Cluster;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Partitions;

/// <summary>A partition this broker holds a replica of: its metadata at the time of the look-up and its log.</summary>
public sealed record HostedPartition(TopicState Topic, PartitionState State, PartitionLog Log)
{
    public TopicPartition TopicPartition => Log.TopicPartition;
}
