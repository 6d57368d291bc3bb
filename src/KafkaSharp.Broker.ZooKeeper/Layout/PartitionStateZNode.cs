namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// A partition's leadership as the controller writes it. <see cref="ZkVersion"/> is the znode's version (Kafka's
/// "partition epoch"), the fencing token for the next conditional write.
/// </summary>
public sealed record LeaderAndIsr(int Leader, int LeaderEpoch, IReadOnlyList<int> Isr, int ControllerEpoch, int ZkVersion = -1)
{
    public const int NoLeader = -1;
}

/// <summary>
/// /brokers/topics/&lt;topic&gt;/partitions/&lt;p&gt;/state (TopicPartitionStateZNode):
/// <c>{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2,3]}</c>.
/// </summary>
public static class PartitionStateZNode
{
    public static byte[] Encode(LeaderAndIsr state) => ZkJson.Write(w =>
    {
        w.WriteNumber("controller_epoch", state.ControllerEpoch);
        w.WriteNumber("leader", state.Leader);
        w.WriteNumber("version", 1);
        w.WriteNumber("leader_epoch", state.LeaderEpoch);
        ZkJson.WriteIntArray(w, "isr", state.Isr);
    });

    public static LeaderAndIsr Decode(string topic, int partition, ReadOnlySpan<byte> data, int zkVersion) =>
        ZkJson.Read(ZkPaths.PartitionState(topic, partition), data, root => new LeaderAndIsr(
            ZkJson.RequiredInt(root, "leader"),
            ZkJson.RequiredInt(root, "leader_epoch"),
            ZkJson.IntArray(ZkJson.Required(root, "isr")),
            ZkJson.RequiredInt(root, "controller_epoch"),
            zkVersion));
}
