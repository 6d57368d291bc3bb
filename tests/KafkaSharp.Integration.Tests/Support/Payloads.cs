using System.Text;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>Deterministic message contents, so what is read back can be checked byte for byte.</summary>
public static class Payloads
{
    public static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i}");

    /// <summary>Varied, not very compressible bytes of the given size; i makes every message distinct.</summary>
    public static byte[] Value(int i, int size)
    {
        var bytes = new byte[size];
        uint x = (uint)i * 2654435761u + 1;
        for (int j = 0; j < size; j++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            // Half random, half text: every codec has something to do and something to keep.
            bytes[j] = (j & 1) == 0 ? (byte)x : (byte)('a' + (j / 2 % 26));
        }

        return bytes;
    }
}
