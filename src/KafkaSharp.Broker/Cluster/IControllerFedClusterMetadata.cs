namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// Cluster metadata that a controller feeds, as in ZooKeeper mode: <see cref="IClusterMetadata.Current"/> and
/// <see cref="IClusterMetadata.Changed"/> come from <see cref="ControllerFed"/>, which the LeaderAndIsr,
/// UpdateMetadata and StopReplica handlers update; mutations go to the store (ZooKeeper) and come back through the
/// controller. <see cref="KafkaBroker"/> sees this interface and wires the handlers and the partition manager to it.
/// </summary>
public interface IControllerFedClusterMetadata : IClusterMetadata
{
    ControllerFedMetadataCache ControllerFed { get; }
}
