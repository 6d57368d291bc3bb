using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// Fetch v0–v3 clients predate magic 2 and cannot parse record batches: the log's batches are rewritten as legacy
/// messages, magic 0 for v0–v1 and magic 1 for v2–v3, as Kafka's down-conversion does. Records keep their offsets
/// and (magic 1) timestamps; headers cannot be carried and are dropped; control batches (transaction markers) are
/// skipped. The result is uncompressed (Kafka keeps the codec; old clients accept both). Cold path: pre-0.11 clients.
/// </summary>
internal static class DownConverter
{
    public static void Convert(ReadOnlySpan<byte> batches, short fetchVersion, PooledBufferWriter output)
    {
        byte magic = fetchVersion <= 1 ? (byte)0 : (byte)1;
        int position = 0;
        while (batches.Length - position >= RecordBatchHeader.Size)
        {
            ReadOnlySpan<byte> rest = batches[position..];
            int size = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > rest.Length)
            {
                break;
            }

            if (rest[RecordBatchHeader.MagicOffset] < RecordBatchHeader.CurrentMagic)
            {
                output.Write(rest[..size]); // already legacy
            }
            else
            {
                ConvertBatch(rest[..size], magic, output);
            }

            position += size;
        }
    }

    private static void ConvertBatch(ReadOnlySpan<byte> batch, byte magic, PooledBufferWriter output)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch, verifyCrc: false);
        if (reader.Header.IsControl)
        {
            return;
        }

        TimestampType timestampType = reader.Header.TimestampType;
        foreach (Record record in reader)
        {
            LegacyMessageBuilder.WriteMessage(output, magic, record.Offset, record.Timestamp, record.Key, record.IsKeyNull,
                record.Value, record.IsValueNull, CompressionType.None, timestampType);
        }
    }
}
