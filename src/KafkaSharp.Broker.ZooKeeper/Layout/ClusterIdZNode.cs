namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>/cluster/id: <c>{"version":"1","id":"&lt;22-char id&gt;"}</c> — Kafka writes this version as a string.</summary>
public static class ClusterIdZNode
{
    public static byte[] Encode(string clusterId) => ZkJson.Write(w =>
    {
        w.WriteString("version", "1");
        w.WriteString("id", clusterId);
    });

    public static string Decode(ReadOnlySpan<byte> data) =>
        ZkJson.Read(ZkPaths.ClusterId, data, root => ZkJson.Required(root, "id").GetString()!);
}
