using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Records;

namespace KafkaSharp.Storage.Cleaner;

/// <summary>
/// Rewrites one uncompressed batch keeping only some records. Records are copied byte for byte: their offset and
/// timestamp deltas stay valid because the batch keeps its base offset, base timestamp and lastOffsetDelta, exactly
/// as Kafka keeps them for compacted batches (so the producer's sequence bookkeeping survives). The record count,
/// length, max timestamp and CRC are recomputed.
/// </summary>
internal static class BatchFilter
{
    /// <summary>What became of a batch.</summary>
    public enum Outcome
    {
        /// <summary>Every record kept: copy the original bytes.</summary>
        Unchanged,

        /// <summary>Some records kept: the rewritten batch is in the output buffer.</summary>
        Rewritten,

        /// <summary>No record kept: drop the batch.</summary>
        Empty,
    }

    /// <summary>
    /// Filters <paramref name="batch"/> with <paramref name="keep"/> (given record offset, key, has-key and has-value)
    /// into <paramref name="output"/>, which must be at least as large as the batch; <paramref name="written"/> is
    /// the rewritten size.
    /// </summary>
    public static Outcome Filter(ReadOnlySpan<byte> batch, Span<byte> output, KeepRecord keep, out int written)
    {
        RecordBatchHeader header = RecordBatchHeader.Read(batch);
        written = 0;
        int kept = 0;
        int position = RecordBatchHeader.Size;
        long maxTimestamp = -1;
        var walker = new RecordWalker(batch[RecordBatchHeader.Size..], header.RecordCount);
        while (walker.MoveNext())
        {
            RecordView record = walker.Current;
            if (!keep(header.BaseOffset + record.OffsetDelta, record.Key, record.HasKey, record.HasValue))
            {
                continue;
            }

            record.Raw.CopyTo(output[position..]);
            position += record.Raw.Length;
            maxTimestamp = Math.Max(maxTimestamp, header.BaseTimestamp + record.TimestampDelta);
            kept++;
        }

        if (kept == header.RecordCount)
        {
            return Outcome.Unchanged;
        }

        if (kept == 0)
        {
            return Outcome.Empty;
        }

        batch[..RecordBatchHeader.Size].CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.LengthOffset..], position - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.RecordCountOffset..], kept);
        if (header.TimestampType == TimestampType.CreateTime)
        {
            BinaryPrimitives.WriteInt64BigEndian(output[RecordBatchHeader.MaxTimestampOffset..], maxTimestamp);
        }

        RecordBatchHeader.WriteCrc(output[..position]);
        written = position;
        return Outcome.Rewritten;
    }

    public delegate bool KeepRecord(long offset, ReadOnlySpan<byte> key, bool hasKey, bool hasValue);
}
