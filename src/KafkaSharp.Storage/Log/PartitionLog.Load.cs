using KafkaSharp.Protocol;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Producers;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

/// <summary>Where a log's recovery starts from, read from the log dir's checkpoints by the log manager.</summary>
public readonly record struct LogLoadState(long RecoveryPoint, long LogStartOffset, long HighWatermark, bool HadCleanShutdown)
{
    /// <summary>A brand-new log, or one whose checkpoints are unknown: everything is recovered.</summary>
    public static LogLoadState Unknown { get; } = new(0, 0, 0, false);
}

public sealed partial class PartitionLog
{
    /// <summary>
    /// Opens (or creates) the log in <paramref name="dir"/>. Leftovers of interrupted operations are resolved
    /// first: <c>.cleaned</c> files (compaction not yet committed) are removed, <c>.swap</c> files (committed) replace
    /// the segments they cover, <c>.deleted</c> files are removed. After an unclean shutdown every segment from the
    /// recovery point on is re-validated batch by batch and cut at the first bad byte (later segments are dropped);
    /// any segment with a missing or corrupt index is rebuilt.
    /// </summary>
    public static PartitionLog Open(string dir, TopicPartition topicPartition, LogConfig config, LogLoadState state,
        TimeProvider? time = null, Action<string, Exception>? onStorageFailure = null, ProducerStateOptions? producerOptions = null)
    {
        time ??= TimeProvider.System;
        System.IO.Directory.CreateDirectory(dir);
        var log = new PartitionLog(dir, topicPartition, config, time, onStorageFailure);
        log._producerOptions = producerOptions ?? new ProducerStateOptions();
        try
        {
            log.Load(state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.CloseUncleanly();
            throw new StorageException(ErrorCode.KafkaStorageError, $"Cannot load log {topicPartition} from {dir}: {e.Message}", e);
        }

        return log;
    }

    private void Load(LogLoadState state)
    {
        LogConfig config = Config;
        long now = NowMs;
        RemoveTemporaryFiles();
        CompleteSwaps(config, now);

        var segments = new List<LogSegment>();
        int firstCut = -1;
        foreach (long baseOffset in ListSegmentBaseOffsets(""))
        {
            bool indexesSane = IndexFilesLookSane(baseOffset);
            LogSegment segment = LogSegment.Open(Directory, baseOffset, config, now);
            if (!indexesSane && segment.Recover() > 0 && firstCut < 0)
            {
                // An index pointing past the log's end is how a torn segment often shows itself. Rebuilding the index
                // cuts the tear, so the later-segment rule below must see it: recovery would find nothing left to cut.
                firstCut = segments.Count;
            }

            segments.Add(segment);
        }

        if (firstCut >= 0)
        {
            DropSegmentsAfter(segments, firstCut);
        }

        if (!state.HadCleanShutdown)
        {
            RecoverFrom(segments, state.RecoveryPoint);
        }

        if (segments.Count == 0)
        {
            LogSegment created = LogSegment.Create(Directory, Math.Max(0, state.LogStartOffset), config, now);
            segments.Add(created);
        }

        // Inactive segments get their final index state on disk now (a no-op unless recovery rebuilt them).
        for (int i = 0; i < segments.Count - 1; i++)
        {
            segments[i].OnBecomeInactive();
        }

        segments[^1].PreallocateIndexes();
        _segments = [.. segments];
        long logEnd = segments[^1].ReadNextOffset();
        _logEndOffset = logEnd;
        _logStartOffset = Math.Clamp(state.LogStartOffset, segments[0].BaseOffset, logEnd);
        _recoveryPoint = state.HadCleanShutdown ? Math.Min(state.RecoveryPoint, logEnd) : logEnd;
        if (state.HadCleanShutdown && state.RecoveryPoint < logEnd)
        {
            _recoveryPoint = logEnd; // a clean shutdown flushed everything
        }

        _highWatermark = Math.Clamp(state.HighWatermark, _logStartOffset, logEnd);
        _lastFlushMs = now;
        LeaderEpochs.TruncateFromEnd(logEnd);
        LeaderEpochs.TruncateFromStart(_logStartOffset);
        RebuildProducerState(_segments, _logStartOffset, logEnd);
    }

    /// <summary>Re-validates segments that may hold unflushed data; a cut segment drops every later one.</summary>
    private void RecoverFrom(List<LogSegment> segments, long recoveryPoint)
    {
        int first = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i].BaseOffset <= recoveryPoint)
            {
                first = i;
            }
        }

        LeaderEpochs.TruncateFromEnd(first < segments.Count ? segments[first].BaseOffset : 0);
        for (int i = first; i < segments.Count; i++)
        {
            long cut = segments[i].Recover((epoch, offset) => LeaderEpochs.Assign(epoch, offset, persist: false));
            if (cut > 0)
            {
                DropSegmentsAfter(segments, i);
                break;
            }
        }

        LeaderEpochs.Persist();
    }

    /// <summary>Anything after a torn or corrupt point is unreachable through a valid batch sequence: it goes.</summary>
    private static void DropSegmentsAfter(List<LogSegment> segments, int cutSegment)
    {
        for (int j = segments.Count - 1; j > cutSegment; j--)
        {
            segments[j].DeleteFiles();
            segments.RemoveAt(j);
        }
    }

    private void RemoveTemporaryFiles()
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFileNames.CleanedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(".tmp", StringComparison.Ordinal)
                || name.EndsWith(ProducerSnapshotFile.Suffix + SegmentFileNames.DeletedSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        // Index files without a log file are orphans of a deletion that stopped half way.
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*.*index"))
        {
            string name = Path.GetFileName(path);
            if (SegmentFileNames.TryParseBaseOffset(name, out long baseOffset)
                && (name.EndsWith(SegmentFileNames.IndexSuffix, StringComparison.Ordinal) || name.EndsWith(SegmentFileNames.TimeIndexSuffix, StringComparison.Ordinal))
                && !File.Exists(SegmentFileNames.LogFile(Directory, baseOffset)))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// A <c>.swap</c> segment was fully written and flushed before it was renamed, so the swap is committed: delete
    /// the segments whose offsets it covers and give it its final name.
    /// </summary>
    private void CompleteSwaps(LogConfig config, long now)
    {
        foreach (long swapBase in ListSegmentBaseOffsets(SegmentFileNames.SwapSuffix))
        {
            long swapEnd;
            using (LogSegment swap = LogSegment.Open(Directory, swapBase, config, now, SegmentFileNames.SwapSuffix))
            {
                swap.Recover();
                swapEnd = swap.ReadNextOffset();
            }

            foreach (long baseOffset in ListSegmentBaseOffsets(""))
            {
                if (baseOffset >= swapBase && baseOffset < swapEnd)
                {
                    File.Delete(SegmentFileNames.LogFile(Directory, baseOffset));
                    File.Delete(SegmentFileNames.IndexFile(Directory, baseOffset));
                    File.Delete(SegmentFileNames.TimeIndexFile(Directory, baseOffset));
                }
            }

            File.Move(SegmentFileNames.LogFile(Directory, swapBase, SegmentFileNames.SwapSuffix), SegmentFileNames.LogFile(Directory, swapBase));
            MoveIfExists(SegmentFileNames.IndexFile(Directory, swapBase, SegmentFileNames.SwapSuffix), SegmentFileNames.IndexFile(Directory, swapBase));
            MoveIfExists(SegmentFileNames.TimeIndexFile(Directory, swapBase, SegmentFileNames.SwapSuffix), SegmentFileNames.TimeIndexFile(Directory, swapBase));
        }
    }

    private static void MoveIfExists(string from, string to)
    {
        if (File.Exists(from))
        {
            File.Move(from, to, overwrite: true);
        }
    }

    private List<long> ListSegmentBaseOffsets(string suffix)
    {
        var offsets = new List<long>();
        string ending = SegmentFileNames.LogSuffix + suffix;
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*" + ending))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(ending, StringComparison.Ordinal) && name.Length == 20 + ending.Length
                && SegmentFileNames.TryParseBaseOffset(name, out long baseOffset))
            {
                offsets.Add(baseOffset);
            }
        }

        offsets.Sort();
        return offsets;
    }

    /// <summary>Both index files exist and every whole entry in them passes the sanity checks.</summary>
    private bool IndexFilesLookSane(long baseOffset)
    {
        var offsetIndex = new FileInfo(SegmentFileNames.IndexFile(Directory, baseOffset));
        var timeIndex = new FileInfo(SegmentFileNames.TimeIndexFile(Directory, baseOffset));
        if (!offsetIndex.Exists || !timeIndex.Exists
            || offsetIndex.Length % Index.OffsetIndex.EntrySize != 0 || timeIndex.Length % Index.TimeIndex.EntrySize != 0)
        {
            return false;
        }

        long logSize = new FileInfo(SegmentFileNames.LogFile(Directory, baseOffset)).Length;
        using var offsets = Index.OffsetIndex.Open(offsetIndex.FullName, baseOffset, int.MaxValue, logSize);
        using var times = Index.TimeIndex.Open(timeIndex.FullName, baseOffset, int.MaxValue);
        return (long)offsets.Count * Index.OffsetIndex.EntrySize == offsetIndex.Length
            && (long)times.Count * Index.TimeIndex.EntrySize == timeIndex.Length;
    }
}
