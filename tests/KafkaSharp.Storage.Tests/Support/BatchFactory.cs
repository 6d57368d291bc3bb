using System.Buffers;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Tests.Support;

/// <summary>
/// Builds and decodes magic-2 record batches for tests with the records library.
/// </summary>
public static class BatchFactory
{
    public static byte[] Batch(long baseTimestamp, params TestRecord[] records) => Build(baseTimestamp, records, CompressionType.None);

    public static byte[] Values(long baseTimestamp, int count, int valueSize = 10)
    {
        var records = new TestRecord[count];
        for (int i = 0; i < count; i++)
        {
            var value = new byte[valueSize];
            value.AsSpan().Fill((byte)('a' + (i % 26)));
            records[i] = new TestRecord(null, value, i);
        }

        return Batch(baseTimestamp, records);
    }

    public static byte[] Build(long baseTimestamp, IReadOnlyList<TestRecord> records, CompressionType compression, long producerId = -1)
    {
        using var builder = new RecordBatchBuilder { Compression = compression, ProducerId = producerId };
        foreach (TestRecord record in records)
        {
            builder.Append(baseTimestamp + record.TimestampDelta, record.Key, record.Value);
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>An idempotent producer's batch: <paramref name="count"/> records numbered from <paramref name="baseSequence"/>.</summary>
    public static byte[] Idempotent(long producerId, short epoch, int baseSequence, int count, long timestamp)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        for (int i = 0; i < count; i++)
        {
            builder.Append(timestamp, null, System.Text.Encoding.UTF8.GetBytes($"p{producerId}-s{baseSequence}-{i}"));
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes the records of batches (any codec) back into (offset, key, value, timestamp).</summary>
    public static List<(long Offset, string? Key, string? Value, long Timestamp)> Decode(ReadOnlySpan<byte> batches)
    {
        var result = new List<(long, string?, string?, long)>();
        while (batches.Length >= RecordBatchHeader.Size)
        {
            using (RecordBatchReader reader = RecordBatchReader.Open(batches))
            {
                foreach (KafkaSharp.Protocol.Records.Record record in reader)
                {
                    result.Add((record.Offset, Text(record.Key, record.IsKeyNull), Text(record.Value, record.IsValueNull), record.Timestamp));
                }

                batches = batches[reader.Header.TotalSize..];
            }
        }

        return result;
    }

    /// <summary>The offset after the last batch in <paramref name="batches"/>.</summary>
    public static long NextOffsetAfter(ReadOnlySpan<byte> batches)
    {
        long next = -1;
        while (batches.Length >= RecordBatchHeader.Size)
        {
            RecordBatchHeader header = RecordBatchHeader.Read(batches);
            next = header.NextOffset;
            batches = batches[header.TotalSize..];
        }

        return next;
    }

    private static string? Text(ReadOnlySpan<byte> bytes, bool isNull) => isNull ? null : System.Text.Encoding.UTF8.GetString(bytes);
}
