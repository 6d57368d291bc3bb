using System.Globalization;
using KafkaSharp.Broker.Producers;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// /latest_producer_id_block: <c>{"version":1,"broker":1,"block_start":"0","block_end":"999"}</c> — the last block
/// of producer ids any broker claimed (Kafka's ProducerIdBlockZNode; the bounds are written as strings).
/// </summary>
public static class ProducerIdBlockZNode
{
    public const string Path = "/latest_producer_id_block";

    public static byte[] Encode(ProducerIdBlock block) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteNumber("broker", block.BrokerId);
        w.WriteString("block_start", block.FirstId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("block_end", block.LastId.ToString(CultureInfo.InvariantCulture));
    });

    /// <summary>The stored block, or null when the node is empty (created at start, no block claimed yet).</summary>
    public static ProducerIdBlock? Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        return ZkJson.Read(Path, data, root =>
        {
            long start = ZkJson.LongOrString(ZkJson.Required(root, "block_start"));
            long end = ZkJson.LongOrString(ZkJson.Required(root, "block_end"));
            if (end < start || end - start >= int.MaxValue)
            {
                throw new InvalidOperationException($"block [{start}, {end}] is not a valid range");
            }

            return new ProducerIdBlock(ZkJson.RequiredInt(root, "broker"), start, (int)(end - start + 1));
        });
    }
}
