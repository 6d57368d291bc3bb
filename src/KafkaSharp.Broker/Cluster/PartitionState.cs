namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// One partition's replica assignment and leadership. <see cref="Leader"/> is -1 when no replica leads (every
/// replica offline). <see cref="LeaderEpoch"/> rises with each leader change; <see cref="PartitionEpoch"/> with any
/// change of this state.
/// </summary>
public sealed record PartitionState(
    int Partition,
    int Leader,
    int LeaderEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> Isr,
    IReadOnlyList<int> OfflineReplicas,
    int PartitionEpoch = 0);
