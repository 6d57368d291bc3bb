using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>ListOffsets' special timestamps.</summary>
    public const long LatestTimestamp = -1;
    public const long EarliestTimestamp = -2;
    public const long MaxTimestampQuery = -3;

    /// <summary>
    /// Reads whole batches starting with the one that contains <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/> but at least one batch (KIP-74), never past <paramref name="maxOffsetExclusive"/>
    /// (e.g. the high watermark). Lock-free: it never waits for the writer. Offsets outside
    /// [log start, log end] fail with OFFSET_OUT_OF_RANGE.
    /// </summary>
    public LogReadResult Read(long offset, int maxBytes, long maxOffsetExclusive = long.MaxValue, bool minOneBatch = true)
    {
        ThrowIfOffline();

        // A reader works on a snapshot of the segment list. Compaction swaps cleaned segments in and retention deletes
        // old ones; a segment closed under the reader surfaces as ObjectDisposedException. Reading again from a fresh
        // snapshot finds the swapped-in copy, or reports the offset out of range if retention really removed it.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return ReadSnapshot(offset, maxBytes, maxOffsetExclusive, minOneBatch);
            }
            catch (ObjectDisposedException) when (attempt < 8)
            {
            }
            catch (ObjectDisposedException)
            {
                StorageThrow.OffsetOutOfRange(offset, LogStartOffset, LogEndOffset);
                throw;
            }
        }
    }

    private LogReadResult ReadSnapshot(long offset, int maxBytes, long maxOffsetExclusive, bool minOneBatch)
    {
        long logEnd = LogEndOffset;
        LogSegment[] segments = Volatile.Read(ref _segments);
        long logStart = LogStartOffset;
        if (offset < logStart || offset > logEnd)
        {
            StorageThrow.OffsetOutOfRange(offset, logStart, logEnd);
        }

        long limit = Math.Min(maxOffsetExclusive, logEnd);
        if (offset >= limit)
        {
            return new LogReadResult(offset, FileSlice.Empty, logStart, logEnd, HighWatermark);
        }

        for (int i = Math.Max(0, FloorSegmentIndex(segments, offset)); i < segments.Length; i++)
        {
            // A compacted or truncated gap moves the read to the next segment that has data.
            FileSlice? slice = segments[i].Read(offset, maxBytes, limit, minOneBatch);
            if (slice is { } found)
            {
                return new LogReadResult(offset, found, logStart, logEnd, HighWatermark);
            }
        }

        return new LogReadResult(offset, FileSlice.Empty, logStart, logEnd, HighWatermark);
    }

    /// <summary>
    /// ListOffsets: the first offset whose record timestamp is ≥ <paramref name="timestamp"/> (time index, then a scan),
    /// or -1 / -2 / -3 for latest, earliest, and the record with the largest timestamp (KIP-734). Null when none.
    /// </summary>
    public TimestampAndOffset? FindOffsetByTimestamp(long timestamp)
    {
        ThrowIfOffline();
        switch (timestamp)
        {
            case LatestTimestamp:
                return new TimestampAndOffset(-1, LogEndOffset);
            case EarliestTimestamp:
                return new TimestampAndOffset(-1, LogStartOffset);
            case MaxTimestampQuery:
                return LargestTimestamp();
        }

        long logStart = LogStartOffset;
        foreach (LogSegment segment in Volatile.Read(ref _segments))
        {
            if (segment.MaxTimestampSoFar < timestamp && segment != ActiveSegment && segment.MaxTimestampSoFar >= 0)
            {
                continue;
            }

            if (segment.TryFindBatchByTimestamp(timestamp, logStart, out long position, out BatchInfo batch))
            {
                return FirstRecordAtOrAfter(segment, position, batch, timestamp, logStart);
            }
        }

        return null;
    }

    /// <summary>The record with the largest timestamp (the last batch that carries it, Kafka's shallow answer).</summary>
    public TimestampAndOffset? LargestTimestamp()
    {
        long best = -1;
        long offset = -1;
        foreach (LogSegment segment in Volatile.Read(ref _segments))
        {
            if (segment.MaxTimestampSoFar > best)
            {
                best = segment.MaxTimestampSoFar;
                offset = segment.OffsetOfMaxTimestampSoFar;
            }
        }

        return offset < 0 ? null : new TimestampAndOffset(best, offset);
    }

    /// <summary>Looks inside the batch (decompressing if needed) for the exact record.</summary>
    private static TimestampAndOffset FirstRecordAtOrAfter(LogSegment segment, long position, in BatchInfo batch, long timestamp, long logStart)
    {
        byte[] buffer = segment.ReadBatch(position, batch.TotalSize);
        try
        {
            using RecordBatchReader reader = RecordBatchReader.Open(buffer.AsSpan(0, batch.TotalSize), verifyCrc: false);
            foreach (Record record in reader)
            {
                if (record.Timestamp >= timestamp && record.Offset >= logStart)
                {
                    return new TimestampAndOffset(record.Timestamp, record.Offset);
                }
            }

            return new TimestampAndOffset(reader.Header.MaxTimestamp, reader.Header.LastOffset);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The file position of the batch containing <paramref name="offset"/> and its segment's base offset.</summary>
    public (long SegmentBaseOffset, long Position)? TranslateOffset(long offset)
    {
        LogSegment[] segments = Volatile.Read(ref _segments);
        int index = FloorSegmentIndex(segments, offset);
        if (index < 0 || !segments[index].TryFindBatch(offset, segments[index].Size, out long position, out _))
        {
            return null;
        }

        return (segments[index].BaseOffset, position);
    }
}
