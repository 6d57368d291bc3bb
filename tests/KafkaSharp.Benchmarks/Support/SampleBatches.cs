using System.Buffers;
using System.Text;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Benchmarks.Support;

/// <summary>Record batches shaped like real producer traffic: short keys, one header, semi-random values.</summary>
public static class SampleBatches
{
    private static readonly RecordHeaderValue[] Headers = [new("trace-id", Encoding.UTF8.GetBytes("4bf92f3577b34da6"))];

    /// <summary>A batch of <paramref name="count"/> records with values of <paramref name="valueSize"/> bytes.</summary>
    public static byte[] Build(int count, int valueSize, CompressionType compression = CompressionType.None)
    {
        var random = new Random(42);
        using var builder = new RecordBatchBuilder { Compression = compression };
        var value = new byte[valueSize];
        for (int i = 0; i < count; i++)
        {
            // Half random, half repeated text: compressible like JSON payloads, not trivially so.
            random.NextBytes(value.AsSpan(0, valueSize / 2));
            value.AsSpan(valueSize / 2).Fill((byte)('a' + (i % 26)));
            builder.Append(1_700_000_000_000 + i, Encoding.UTF8.GetBytes($"key-{i}"), value, Headers);
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>About <paramref name="targetBytes"/> of uncompressed records (1 KiB values).</summary>
    public static byte[] OfSize(int targetBytes) => Build(Math.Max(1, targetBytes / 1_060), 1_024);
}
