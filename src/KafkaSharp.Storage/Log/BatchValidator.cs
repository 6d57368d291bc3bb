using System.Buffers.Binary;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Records;

namespace KafkaSharp.Storage.Log;

/// <summary>What validation learned about an append, so the writer need not parse the batches again.</summary>
internal readonly record struct AppendSummary(int BatchCount, long OffsetCount, long RecordCount, long MaxTimestamp);

/// <summary>
/// Checks produced batches before they touch the log, as Kafka's LogValidator does: structure and sizes, CRC
/// (CORRUPT_MESSAGE), max.message.bytes (MESSAGE_TOO_LARGE), record count against lastOffsetDelta and the records
/// themselves (INVALID_RECORD), keys on compacted topics (INVALID_RECORD), CreateTime bounds (INVALID_TIMESTAMP).
/// Allocation-free: records are walked over the request's own bytes.
/// </summary>
internal static class BatchValidator
{
    public static AppendSummary Validate(ReadOnlySpan<byte> records, LogConfig config, long nowMs)
    {
        if (records.Length > config.SegmentBytes)
        {
            StorageThrow.Throw(StorageErrorCode.RecordListTooLarge, $"Record set of {records.Length} bytes exceeds segment.bytes {config.SegmentBytes}.");
        }

        int batches = 0;
        long offsets = 0;
        long recordCount = 0;
        long maxTimestamp = -1;
        int position = 0;
        while (position < records.Length)
        {
            ReadOnlySpan<byte> rest = records[position..];
            if (rest.Length < RecordBatchHeader.Size)
            {
                StorageThrow.Throw(StorageErrorCode.CorruptMessage, $"Truncated record batch: {rest.Length} byte(s) left, a header needs {RecordBatchHeader.Size}.");
            }

            if (rest[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
            {
                StorageThrow.Throw(StorageErrorCode.InvalidRecord, $"Record batch magic {rest[RecordBatchHeader.MagicOffset]} is not supported; magic 2 is required.");
            }

            long size = (long)BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > rest.Length)
            {
                StorageThrow.Throw(StorageErrorCode.CorruptMessage, $"Record batch size {size} does not fit the {rest.Length} byte(s) left.");
            }

            if (size > config.MaxMessageBytes)
            {
                StorageThrow.Throw(StorageErrorCode.MessageTooLarge, $"Record batch of {size} bytes exceeds max.message.bytes {config.MaxMessageBytes}.");
            }

            ReadOnlySpan<byte> batch = rest[..(int)size];
            if (!RecordBatchHeader.IsCrcValid(batch))
            {
                StorageThrow.Throw(StorageErrorCode.CorruptMessage, "Record batch CRC does not match its content.");
            }

            RecordBatchHeader header = RecordBatchHeader.Read(batch);
            if (header.RecordCount <= 0 || header.LastOffsetDelta != header.RecordCount - 1)
            {
                StorageThrow.Throw(StorageErrorCode.InvalidRecord, $"Record count {header.RecordCount} does not match last offset delta {header.LastOffsetDelta}.");
            }

            if (config.MessageTimestampType == TimestampType.CreateTime)
            {
                CheckTimestamp(header.MaxTimestamp, config, nowMs);
            }

            if (header.Compression == CompressionType.None)
            {
                ValidateRecords(batch, header, config, nowMs);
            }

            batches++;
            offsets += header.RecordCount;
            recordCount += header.RecordCount;
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            position += (int)size;
        }

        return new AppendSummary(batches, offsets, recordCount, maxTimestamp);
    }

    /// <summary>Walks an uncompressed batch: consecutive offset deltas, no trailing bytes, keys when compacted.</summary>
    private static void ValidateRecords(ReadOnlySpan<byte> batch, in RecordBatchHeader header, LogConfig config, long nowMs)
    {
        bool checkTimestamps = config.MessageTimestampType == TimestampType.CreateTime
            && (config.MessageTimestampBeforeMaxMs != long.MaxValue || config.MessageTimestampAfterMaxMs != long.MaxValue);
        try
        {
            var walker = new RecordWalker(batch[RecordBatchHeader.Size..], header.RecordCount);
            int expectedDelta = 0;
            while (walker.MoveNext())
            {
                RecordView record = walker.Current;
                if (record.OffsetDelta != expectedDelta++)
                {
                    StorageThrow.Throw(StorageErrorCode.InvalidRecord, $"Record offset delta {record.OffsetDelta} is not consecutive.");
                }

                if (config.IsCompacted && !record.HasKey)
                {
                    StorageThrow.Throw(StorageErrorCode.InvalidRecord, "Compacted topic cannot accept a record without a key.");
                }

                if (checkTimestamps)
                {
                    CheckTimestamp(header.BaseTimestamp + record.TimestampDelta, config, nowMs);
                }
            }

            if (walker.TrailingBytes != 0)
            {
                StorageThrow.Throw(StorageErrorCode.InvalidRecord, $"Record batch has {walker.TrailingBytes} byte(s) after its last record.");
            }
        }
        catch (KafkaProtocolException e)
        {
            throw new StorageException(StorageErrorCode.CorruptMessage, "Record batch holds a malformed record: " + e.Message, e);
        }
        catch (OverflowException e)
        {
            throw new StorageException(StorageErrorCode.CorruptMessage, "Record batch holds a malformed record.", e);
        }
    }

    private static void CheckTimestamp(long timestamp, LogConfig config, long nowMs)
    {
        if ((config.MessageTimestampBeforeMaxMs != long.MaxValue && timestamp < nowMs - config.MessageTimestampBeforeMaxMs)
            || (config.MessageTimestampAfterMaxMs != long.MaxValue && timestamp > nowMs + config.MessageTimestampAfterMaxMs))
        {
            StorageThrow.Throw(StorageErrorCode.InvalidTimestamp, $"Timestamp {timestamp} is out of the accepted range around {nowMs}.");
        }
    }
}
