using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>Small helpers to turn writer output and hex literals into arrays for assertions.</summary>
public static class Bytes
{
    /// <summary>Runs <paramref name="write"/> on a fresh writer, flushes, and returns what it produced.</summary>
    public static byte[] Written(WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        write(ref writer);
        writer.Flush();
        Assert.Equal(output.WrittenCount, writer.BytesWritten);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>"AC 02" → { 0xAC, 0x02 }.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}

public delegate void WriteAction(ref KafkaWriter writer);

public delegate T ReadFunc<out T>(ref KafkaReader reader);
