using System.Buffers.Binary;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Log;

/// <summary>What validation learned about an append, so the writer need not parse the batches again.</summary>
internal readonly record struct AppendSummary(int BatchCount, long OffsetCount, long RecordCount, long MaxTimestamp, int ProducerBatchCount);

/// <summary>
/// Checks produced batches before they touch the log, as Kafka's LogValidator does: structure and sizes, CRC
/// (CORRUPT_MESSAGE), max.message.bytes (MESSAGE_TOO_LARGE), record count against lastOffsetDelta and the records
/// themselves (INVALID_RECORD), keys on compacted topics (INVALID_RECORD), CreateTime bounds (INVALID_TIMESTAMP).
/// Uncompressed records are walked over the request's own bytes; compressed ones are inflated into a pooled buffer.
/// </summary>
internal static class BatchValidator
{
    public static AppendSummary Validate(ReadOnlySpan<byte> records, LogConfig config, long nowMs)
    {
        if (records.Length > config.SegmentBytes)
        {
            StorageThrow.Throw(ErrorCode.RecordListTooLarge, $"Record set of {records.Length} bytes exceeds segment.bytes {config.SegmentBytes}.");
        }

        int batches = 0;
        long offsets = 0;
        long recordCount = 0;
        long maxTimestamp = -1;
        int producerBatches = 0;
        int position = 0;
        while (position < records.Length)
        {
            ReadOnlySpan<byte> rest = records[position..];
            if (rest.Length < RecordBatchHeader.Size)
            {
                StorageThrow.Throw(ErrorCode.CorruptMessage, $"Truncated record batch: {rest.Length} byte(s) left, a header needs {RecordBatchHeader.Size}.");
            }

            if (rest[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
            {
                StorageThrow.Throw(ErrorCode.InvalidRecord, $"Record batch magic {rest[RecordBatchHeader.MagicOffset]} is not supported; magic 2 is required.");
            }

            long size = (long)BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > rest.Length)
            {
                StorageThrow.Throw(ErrorCode.CorruptMessage, $"Record batch size {size} does not fit the {rest.Length} byte(s) left.");
            }

            if (size > config.MaxMessageBytes)
            {
                StorageThrow.Throw(ErrorCode.MessageTooLarge, $"Record batch of {size} bytes exceeds max.message.bytes {config.MaxMessageBytes}.");
            }

            ReadOnlySpan<byte> batch = rest[..(int)size];
            if (!RecordBatchHeader.IsCrcValid(batch))
            {
                StorageThrow.Throw(ErrorCode.CorruptMessage, "Record batch CRC does not match its content.");
            }

            RecordBatchHeader header = RecordBatchHeader.Read(batch);
            if (header.RecordCount <= 0 || header.LastOffsetDelta != header.RecordCount - 1)
            {
                StorageThrow.Throw(ErrorCode.InvalidRecord, $"Record count {header.RecordCount} does not match last offset delta {header.LastOffsetDelta}.");
            }

            if (header.HasProducerId)
            {
                CheckProducerFields(header);
                producerBatches++;
            }

            if (config.MessageTimestampType == TimestampType.CreateTime)
            {
                CheckTimestamp(header.MaxTimestamp, config, nowMs);
            }

            ValidateRecords(batch, config, nowMs);

            batches++;
            offsets += header.RecordCount;
            recordCount += header.RecordCount;
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            position += (int)size;
        }

        if (producerBatches > 0 && batches > 1)
        {
            // Produce v3+ carries exactly one batch; producer state is checked and applied per append.
            StorageThrow.Throw(ErrorCode.InvalidRecord, "A record set with a producer id must hold exactly one record batch.");
        }

        return new AppendSummary(batches, offsets, recordCount, maxTimestamp, producerBatches);
    }

    /// <summary>Kafka's LogValidator checks on the producer fields of a client batch.</summary>
    private static void CheckProducerFields(in RecordBatchHeader header)
    {
        if (header.BaseSequence < 0)
        {
            StorageThrow.Throw(ErrorCode.InvalidRecord, $"Invalid sequence number {header.BaseSequence} in record batch with producerId {header.ProducerId}.");
        }

        if (header.IsTransactional)
        {
            // Without a transaction coordinator no transaction can be open or verified on this partition: Kafka
            // answers an unverified transactional write the same way.
            StorageThrow.Throw(ErrorCode.InvalidTxnState, $"Record batch of producer {header.ProducerId} is transactional, but no transaction is ongoing on this partition.");
        }
    }

    /// <summary>
    /// Walks the records (decompressing when needed, through the records library; the decompressed bytes live in a
    /// pooled buffer): the count must match, offset
    /// deltas must be 0, 1, 2, ... as a producer writes them, keys present on compacted topics, timestamps in range.
    /// </summary>
    private static void ValidateRecords(ReadOnlySpan<byte> batch, LogConfig config, long nowMs)
    {
        bool checkTimestamps = config.MessageTimestampType == TimestampType.CreateTime
            && (config.MessageTimestampBeforeMaxMs != long.MaxValue || config.MessageTimestampAfterMaxMs != long.MaxValue);
        // Compressed batches are inflated too, as Kafka's validator does: a producer's CRC covers the compressed
        // bytes, so only decompressing proves the records inside parse, number RecordCount and are contiguous.
        RecordBatchReader reader;
        try
        {
            reader = RecordBatchReader.Open(batch, verifyCrc: false);
        }
        catch (KafkaProtocolException e)
        {
            // Kafka's record iterator reports a wrong count or a record that does not parse as InvalidRecordException.
            throw new StorageException(ErrorCode.InvalidRecord, "Record batch holds malformed records: " + e.Message, e);
        }

        using (reader)
        {
            if (!reader.OffsetsAreContiguous)
            {
                StorageThrow.Throw(ErrorCode.InvalidRecord, "Record offset deltas in a produced batch must be 0, 1, 2, ...");
            }

            if (!config.IsCompacted && !checkTimestamps)
            {
                // Opening already walked every record for structure, count and offsets; a second walk would find
                // nothing more to check.
                return;
            }

            foreach (Record record in reader)
            {
                if (config.IsCompacted && record.IsKeyNull)
                {
                    StorageThrow.Throw(ErrorCode.InvalidRecord, "Compacted topic cannot accept a record without a key.");
                }

                if (checkTimestamps)
                {
                    CheckTimestamp(record.Timestamp, config, nowMs);
                }
            }
        }
    }

    private static void CheckTimestamp(long timestamp, LogConfig config, long nowMs)
    {
        if ((config.MessageTimestampBeforeMaxMs != long.MaxValue && timestamp < nowMs - config.MessageTimestampBeforeMaxMs)
            || (config.MessageTimestampAfterMaxMs != long.MaxValue && timestamp > nowMs + config.MessageTimestampAfterMaxMs))
        {
            StorageThrow.Throw(ErrorCode.InvalidTimestamp, $"Timestamp {timestamp} is out of the accepted range around {nowMs}.");
        }
    }
}
