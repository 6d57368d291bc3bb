using System.Text;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>
/// The default key partitioners real clients use, to name which one a client's placement matches:
/// Java's (and kafkajs', kafka-python's) <c>(murmur2(key) &amp; 0x7fffffff) % n</c>; @platformatic/kafka's
/// <c>(murmur2(key) &gt;&gt;&gt; 0) % n</c>; librdkafka's consistent_random <c>crc32(key) % n</c>.
/// </summary>
public static class Partitioners
{
    public static string Identify(IReadOnlyDictionary<string, int> placement, int partitions)
    {
        (string Name, Func<byte[], long> Hash)[] families =
        [
            ("murmur2 (Java-compatible)", k => Murmur2(k) & 0x7fffffff),
            ("murmur2 unsigned", k => (uint)Murmur2(k)),
            ("crc32 (librdkafka consistent_random)", k => Crc32(k)),
        ];
        foreach ((string name, Func<byte[], long> hash) in families)
        {
            if (placement.All(kv => hash(Encoding.UTF8.GetBytes(kv.Key)) % partitions == kv.Value))
            {
                return name;
            }
        }

        return "other";
    }

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), as org.apache.kafka.common.utils.Utils.murmur2.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        uint h = 0x9747b28c ^ (uint)data.Length;
        int length4 = data.Length / 4;
        for (int i = 0; i < length4; i++)
        {
            int o = i * 4;
            uint k = data[o] | ((uint)data[o + 1] << 8) | ((uint)data[o + 2] << 16) | ((uint)data[o + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        int tail = length4 * 4;
        switch (data.Length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
            default:
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    /// <summary>CRC-32 (IEEE, as zlib), which librdkafka's rd_crc32 computes.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffff;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
