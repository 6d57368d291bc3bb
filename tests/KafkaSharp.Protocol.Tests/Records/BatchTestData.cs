using System.Buffers;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Records;
using Record = KafkaSharp.Protocol.Records.Record;

namespace KafkaSharp.Protocol.Tests.Records;

/// <summary>Batches and segmented sequences shared by the record tests.</summary>
internal static class BatchTestData
{
    public static byte[] Build(Action<RecordBatchBuilder> fill, CompressionType compression = CompressionType.None, long baseOffset = 0)
    {
        using var builder = new RecordBatchBuilder { Compression = compression, BaseOffset = baseOffset };
        fill(builder);
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>n records "key-i" / "value-i" at timestamps 1000 + i, one header each.</summary>
    public static byte[] Simple(int count, CompressionType compression = CompressionType.None, long baseOffset = 0) =>
        Build(
            b =>
            {
                for (int i = 0; i < count; i++)
                {
                    b.Append(1000 + i, "key-"u8.ToArray().Concat(BitConverter.GetBytes(i)).ToArray(), new byte[i % 50], [new RecordHeaderValue("h", new byte[] { (byte)i })]);
                }
            },
            compression,
            baseOffset);

    /// <summary>Splits <paramref name="data"/> into a sequence with a segment break before each given index.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, params int[] breaks)
    {
        var points = breaks.Where(p => p > 0 && p < data.Length).Distinct().Order().ToList();
        points.Add(data.Length);
        Segment? first = null;
        Segment? last = null;
        int start = 0;
        foreach (int end in points)
        {
            var segment = new Segment(data.AsMemory(start, end - start), last);
            first ??= segment;
            last = segment;
            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    public static void Recrc(byte[] batch) => RecordBatchHeader.WriteCrc(batch);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}

/// <summary>Plain copies of records, for asserting after a reader is gone.</summary>
internal sealed record RecordCopy(long Offset, long Timestamp, byte[]? Key, byte[]? Value, (string Key, byte[]? Value)[] Headers)
{
    public static List<RecordCopy> ReadAll(ReadOnlySpan<byte> batch, int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch, maxDecompressedBytes: maxDecompressedBytes);
        return Copy(reader);
    }

    public static List<RecordCopy> Copy(RecordBatchReader reader)
    {
        var list = new List<RecordCopy>();
        foreach (Record record in reader)
        {
            var headers = new List<(string, byte[]?)>();
            foreach (RecordHeader header in record.Headers)
            {
                headers.Add((System.Text.Encoding.UTF8.GetString(header.Key), header.IsValueNull ? null : header.Value.ToArray()));
            }

            list.Add(new RecordCopy(
                record.Offset,
                record.Timestamp,
                record.IsKeyNull ? null : record.Key.ToArray(),
                record.IsValueNull ? null : record.Value.ToArray(),
                [.. headers]));
        }

        return list;
    }
}
