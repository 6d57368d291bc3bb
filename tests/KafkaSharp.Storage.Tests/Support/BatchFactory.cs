using System.Buffers.Binary;
using System.IO.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Tests.Support;

/// <summary>
/// Builds magic-2 record batches for tests (uncompressed, or gzip through the BCL) until the records library's
/// RecordBatchBuilder is on main.
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
        var body = new MemoryStream();
        long maxTimestamp = baseTimestamp;
        for (int i = 0; i < records.Count; i++)
        {
            WriteRecord(body, records[i], i);
            maxTimestamp = Math.Max(maxTimestamp, baseTimestamp + records[i].TimestampDelta);
        }

        byte[] recordBytes = body.ToArray();
        if (compression == CompressionType.Gzip)
        {
            var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(recordBytes);
            }

            recordBytes = compressed.ToArray();
        }

        var batch = new byte[RecordBatchHeader.Size + recordBytes.Length];
        Span<byte> span = batch;
        BinaryPrimitives.WriteInt64BigEndian(span, 0);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LengthOffset..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.PartitionLeaderEpochOffset..], -1);
        span[RecordBatchHeader.MagicOffset] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.AttributesOffset..], RecordBatchHeader.MakeAttributes(compression));
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..], records.Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseTimestampOffset..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.MaxTimestampOffset..], maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.ProducerEpochOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BaseSequenceOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordCountOffset..], records.Count);
        recordBytes.CopyTo(span[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(span);
        return batch;
    }

    /// <summary>Decodes the records of uncompressed batches back into (offset, key, value, timestamp).</summary>
    public static List<(long Offset, string? Key, string? Value, long Timestamp)> Decode(ReadOnlySpan<byte> batches)
    {
        var result = new List<(long, string?, string?, long)>();
        while (batches.Length >= RecordBatchHeader.Size)
        {
            RecordBatchHeader header = RecordBatchHeader.Read(batches);
            ReadOnlySpan<byte> records = batches[RecordBatchHeader.Size..header.TotalSize];
            if (header.Compression == CompressionType.Gzip)
            {
                using var gzip = new GZipStream(new MemoryStream(records.ToArray()), CompressionMode.Decompress);
                var plain = new MemoryStream();
                gzip.CopyTo(plain);
                records = plain.ToArray();
            }

            int position = 0;
            for (int i = 0; i < header.RecordCount; i++)
            {
                int length = (int)ReadVarLong(records, ref position);
                int end = position + length;
                position++;
                long timestampDelta = ReadVarLong(records, ref position);
                long offsetDelta = ReadVarLong(records, ref position);
                string? key = ReadString(records, ref position);
                string? value = ReadString(records, ref position);
                long timestamp = header.TimestampType == TimestampType.LogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + timestampDelta;
                result.Add((header.BaseOffset + offsetDelta, key, value, timestamp));
                position = end;
            }

            batches = batches[header.TotalSize..];
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

    private static string? ReadString(ReadOnlySpan<byte> data, ref int position)
    {
        int length = (int)ReadVarLong(data, ref position);
        if (length < 0)
        {
            return null;
        }

        string text = System.Text.Encoding.UTF8.GetString(data.Slice(position, length));
        position += length;
        return text;
    }

    private static void WriteRecord(Stream output, TestRecord record, int offsetDelta)
    {
        var body = new MemoryStream();
        body.WriteByte(0);
        WriteVarLong(body, record.TimestampDelta);
        WriteVarLong(body, offsetDelta);
        WriteBytes(body, record.Key);
        WriteBytes(body, record.Value);
        WriteVarLong(body, 0);
        WriteVarLong(output, body.Length);
        body.Position = 0;
        body.CopyTo(output);
    }

    private static void WriteBytes(Stream output, byte[]? bytes)
    {
        if (bytes is null)
        {
            WriteVarLong(output, -1);
            return;
        }

        WriteVarLong(output, bytes.Length);
        output.Write(bytes);
    }

    private static void WriteVarLong(Stream output, long value)
    {
        ulong raw = (ulong)((value << 1) ^ (value >> 63));
        while (raw >= 0x80)
        {
            output.WriteByte((byte)(raw | 0x80));
            raw >>= 7;
        }

        output.WriteByte((byte)raw);
    }

    private static long ReadVarLong(ReadOnlySpan<byte> data, ref int position)
    {
        ulong raw = 0;
        int shift = 0;
        while (true)
        {
            byte b = data[position++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
