using System.Buffers;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Cleaner;

/// <summary>
/// Compacts one log (cleanup.policy=compact): keeps the latest record of every key, offsets unchanged.
/// <list type="number">
/// <item>The cleanable range ends before the first segment that is active, reaches past the high watermark, or is
/// younger than min.compaction.lag.ms. Nothing happens unless dirty / (clean + dirty) ≥ min.cleanable.dirty.ratio.</item>
/// <item>The dirty part [firstDirty, firstUncleanable) is scanned into key → latest offset.</item>
/// <item>Segments from the log start to firstUncleanable are rewritten in groups (≤ segment.bytes) into
/// <c>.cleaned</c> files, flushed, renamed <c>.swap</c> and swapped in under the write lock for a moment.</item>
/// </list>
/// A tombstone survives one pass; once its segment is in the cleaned part and older than delete.retention.ms
/// (by its newest timestamp) it is removed. Appends never wait for any of this except the swap.
/// Compressed batches are decompressed, filtered and recompressed with their codec; control batches are kept.
/// </summary>
internal static class LogCompactor
{
    /// <summary>The result of a pass: where the next pass starts, and whether anything was rewritten.</summary>
    public readonly record struct Result(bool Cleaned, long FirstDirtyOffset, double DirtyRatio);

    /// <summary>The dirty ratio a pass would see now, 0 when nothing is cleanable.</summary>
    public static double Measure(PartitionLog log, long checkpoint, long nowMs) =>
        Plan(log, log.Segments, checkpoint, nowMs) is { } plan ? plan.Ratio : 0;

    public static Result Clean(PartitionLog log, long checkpoint, long nowMs, bool force = false)
    {
        LogConfig config = log.Config;
        LogSegment[] segments = log.Segments;
        if (Plan(log, segments, checkpoint, nowMs) is not { } plan)
        {
            return new Result(false, Math.Max(checkpoint, log.LogStartOffset), 0);
        }

        if (!force && plan.Ratio < config.MinCleanableDirtyRatio)
        {
            return new Result(false, plan.FirstDirty, plan.Ratio);
        }

        OffsetMap map = BuildOffsetMap(segments, plan.Uncleanable, plan.FirstDirty, plan.FirstUncleanable);
        Dictionary<long, long> producerLastOffsets = log.ProducerLastOffsets();
        foreach (List<LogSegment> group in GroupSegments(segments, plan.Uncleanable, config))
        {
            CleanGroup(log, group, map, producerLastOffsets, plan.FirstDirty, nowMs - config.DeleteRetentionMs, config, nowMs);
        }

        return new Result(true, plan.FirstUncleanable, plan.Ratio);
    }

    private readonly record struct CleaningPlan(long FirstDirty, int Uncleanable, long FirstUncleanable, double Ratio);

    private static CleaningPlan? Plan(PartitionLog log, LogSegment[] segments, long checkpoint, long nowMs)
    {
        long firstDirty = Math.Max(checkpoint, log.LogStartOffset);
        if (firstDirty > log.LogEndOffset)
        {
            firstDirty = log.LogStartOffset; // a checkpoint from before a truncation
        }

        int uncleanable = FirstUncleanableSegment(segments, log.HighWatermark, log.LogEndOffset, log.Config, nowMs);
        long firstUncleanable = segments[uncleanable].BaseOffset;
        if (firstDirty >= firstUncleanable)
        {
            return null;
        }

        long clean = 0;
        long dirty = 0;
        for (int i = 0; i < uncleanable; i++)
        {
            if (segments[i + 1].BaseOffset <= firstDirty)
            {
                clean += segments[i].Size;
            }
            else
            {
                dirty += segments[i].Size;
            }
        }

        double ratio = clean + dirty == 0 ? 0 : (double)dirty / (clean + dirty);
        return new CleaningPlan(firstDirty, uncleanable, firstUncleanable, ratio);
    }

    private static int FirstUncleanableSegment(LogSegment[] segments, long highWatermark, long logEnd, LogConfig config, long nowMs)
    {
        for (int i = 0; i < segments.Length - 1; i++)
        {
            bool pastHighWatermark = segments[i + 1].BaseOffset > Math.Min(highWatermark, logEnd);
            bool tooYoung = config.MinCompactionLagMs > 0 && nowMs - segments[i].LargestTimestamp < config.MinCompactionLagMs;
            if (pastHighWatermark || tooYoung)
            {
                return i;
            }
        }

        return segments.Length - 1;
    }

    private static OffsetMap BuildOffsetMap(LogSegment[] segments, int uncleanable, long firstDirty, long firstUncleanable)
    {
        var map = new OffsetMap();
        for (int i = 0; i < uncleanable; i++)
        {
            if (segments[i + 1].BaseOffset <= firstDirty)
            {
                continue;
            }

            ForEachBatch(segments[i], (batch, in header) =>
            {
                if (header.IsControl || header.LastOffset < firstDirty)
                {
                    return;
                }

                using RecordBatchReader reader = RecordBatchReader.Open(batch, verifyCrc: false);
                foreach (Record record in reader)
                {
                    if (!record.IsKeyNull && record.Offset >= firstDirty && record.Offset < firstUncleanable)
                    {
                        map.Put(record.Key, record.Offset);
                    }
                }
            });
        }

        return map;
    }

    /// <summary>Consecutive segments whose total size fits segment.bytes and whose offsets fit one index.</summary>
    private static List<List<LogSegment>> GroupSegments(LogSegment[] segments, int uncleanable, LogConfig config)
    {
        var groups = new List<List<LogSegment>>();
        int i = 0;
        while (i < uncleanable)
        {
            var group = new List<LogSegment> { segments[i] };
            long size = segments[i].Size;
            i++;
            while (i < uncleanable && size + segments[i].Size <= config.SegmentBytes
                && segments[i + 1].BaseOffset - 1 - group[0].BaseOffset <= int.MaxValue
                && group.Sum(s => s.OffsetIndex.Count) + segments[i].OffsetIndex.Count < config.SegmentIndexBytes / 8)
            {
                size += segments[i].Size;
                group.Add(segments[i]);
                i++;
            }

            groups.Add(group);
        }

        return groups;
    }

    /// <remarks>
    /// Like Kafka's cleaner, the last batch of each producer the log knows is kept even when compaction empties it
    /// (as a header without records), so the producer's sequence and epoch survive a reload from the log; such
    /// empty batches go in a later cleaning once the producer has written after them.
    /// </remarks>
    private static void CleanGroup(PartitionLog log, List<LogSegment> group, OffsetMap map, Dictionary<long, long> producerLastOffsets,
        long firstDirty, long deleteHorizonMs, LogConfig config, long nowMs)
    {
        LogSegment cleaned = LogSegment.Create(log.Directory, group[0].BaseOffset, config, nowMs, SegmentFileNames.CleanedSuffix);
        using var filter = new BatchFilter();
        bool swapped = false;
        try
        {
            cleaned.PreallocateIndexes();
            for (int g = 0; g < group.Count; g++)
            {
                LogSegment source = group[g];
                bool dropTombstones = source.LargestTimestamp < deleteHorizonMs && source.BaseOffset < firstDirty
                    && (g + 1 < group.Count ? group[g + 1].BaseOffset : long.MaxValue) <= firstDirty;
                ForEachBatch(source, (batch, in header) =>
                {
                    if (header.IsControl)
                    {
                        // Transaction markers are kept: removing them needs the transaction index (not built yet).
                        cleaned.Append(batch);
                        return;
                    }

                    bool lastOfProducer = header.ProducerId >= 0
                        && producerLastOffsets.TryGetValue(header.ProducerId, out long producerLast) && producerLast == header.LastOffset;
                    if (header.RecordCount == 0)
                    {
                        if (lastOfProducer)
                        {
                            cleaned.Append(batch);
                        }

                        return;
                    }

                    BatchFilter.Outcome outcome = filter.Filter(batch, (offset, key, hasKey, hasValue) =>
                    {
                        if (!hasKey)
                        {
                            return true;
                        }

                        long latest = map.Get(key);
                        if (latest > offset)
                        {
                            return false;
                        }

                        return hasValue || !dropTombstones;
                    });
                    if (outcome == BatchFilter.Outcome.Unchanged)
                    {
                        cleaned.Append(batch);
                    }
                    else if (outcome == BatchFilter.Outcome.Rewritten)
                    {
                        cleaned.Append(filter.Written);
                    }
                    else if (lastOfProducer)
                    {
                        cleaned.Append(filter.EmptyHeader(batch));
                    }
                });
            }

            cleaned.OnBecomeInactive();
            cleaned.Flush();
            cleaned.ChangeSuffix(SegmentFileNames.SwapSuffix);
            swapped = log.ReplaceSegments(group, cleaned);
        }
        finally
        {
            if (!swapped)
            {
                cleaned.DeleteFiles();
            }
        }
    }

    private delegate void BatchAction(ReadOnlySpan<byte> batch, in RecordBatchHeader header);

    /// <summary>Reads a segment batch by batch into one pooled buffer.</summary>
    private static void ForEachBatch(LogSegment segment, BatchAction action)
    {
        long limit = segment.Size;
        long position = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (segment.TryReadBatchAt(position, limit, out BatchInfo info))
            {
                if (buffer.Length < info.TotalSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(info.TotalSize);
                }

                Span<byte> batch = buffer.AsSpan(0, info.TotalSize);
                new FileSlice(segment.Handle, position, info.TotalSize).CopyTo(batch);
                RecordBatchHeader header = RecordBatchHeader.Read(batch);
                action(batch, header);
                position += info.TotalSize;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
