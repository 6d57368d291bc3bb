using System.Text.Json;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// /admin/reassign_partitions (the legacy reassignment path, still read by ZooKeeper-mode controllers):
/// <c>{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}</c>.
/// </summary>
public static class ReassignPartitionsZNode
{
    public static byte[] Encode(IReadOnlyDictionary<(string Topic, int Partition), IReadOnlyList<int>> targets) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteStartArray("partitions");
        foreach (((string topic, int partition), IReadOnlyList<int> replicas) in targets.OrderBy(t => t.Key.Topic, StringComparer.Ordinal).ThenBy(t => t.Key.Partition))
        {
            w.WriteStartObject();
            w.WriteString("topic", topic);
            w.WriteNumber("partition", partition);
            ZkJson.WriteIntArray(w, "replicas", replicas);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static Dictionary<(string Topic, int Partition), IReadOnlyList<int>> Decode(ReadOnlySpan<byte> data) =>
        ZkJson.Read(ZkPaths.ReassignPartitions, data, root =>
        {
            var result = new Dictionary<(string, int), IReadOnlyList<int>>();
            foreach (JsonElement item in ZkJson.Required(root, "partitions").EnumerateArray())
            {
                result[(ZkJson.Required(item, "topic").GetString()!, ZkJson.RequiredInt(item, "partition"))] = ZkJson.IntArray(ZkJson.Required(item, "replicas"));
            }

            return result;
        });
}

/// <summary>
/// /admin/preferred_replica_election: <c>{"version":1,"partitions":[{"topic":"t","partition":0}]}</c>; the
/// same partition-list shape is used by /isr_change_notification/isr_change_&lt;seq&gt;.
/// </summary>
public static class PartitionListZNode
{
    public static byte[] Encode(IEnumerable<(string Topic, int Partition)> partitions) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteStartArray("partitions");
        foreach ((string topic, int partition) in partitions)
        {
            w.WriteStartObject();
            w.WriteString("topic", topic);
            w.WriteNumber("partition", partition);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static List<(string Topic, int Partition)> Decode(string path, ReadOnlySpan<byte> data) =>
        ZkJson.Read(path, data, root =>
        {
            var result = new List<(string, int)>();
            foreach (JsonElement item in ZkJson.Required(root, "partitions").EnumerateArray())
            {
                result.Add((ZkJson.Required(item, "topic").GetString()!, ZkJson.RequiredInt(item, "partition")));
            }

            return result;
        });
}

/// <summary>/log_dir_event_notification/log_dir_event_&lt;seq&gt;: <c>{"version":1,"broker":1,"event":1}</c> (1 = log dir failure).</summary>
public static class LogDirEventZNode
{
    public static byte[] Encode(int brokerId) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteNumber("broker", brokerId);
        w.WriteNumber("event", 1);
    });
}

/// <summary>/feature (KIP-584): <c>{"version":1,"status":1,"features":{}}</c> — status 1 = enabled, no finalized features.</summary>
public static class FeatureZNode
{
    public static byte[] Encode() => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteNumber("status", 1);
        w.WriteStartObject("features");
        w.WriteEndObject();
    });
}
