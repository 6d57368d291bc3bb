using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes whole segments, oldest first, that lie below the log start offset, or (cleanup.policy contains
    /// delete) whose newest record is older than retention.ms, or while the log exceeds retention.bytes. A segment is
    /// only deleted once all its offsets are below the high watermark. When every segment goes, a new empty active
    /// segment is rolled first, as Kafka does, so the log always has one. Returns the number deleted.
    /// </summary>
    public int DeleteOldSegments()
    {
        if (_offline)
        {
            return 0;
        }

        LogConfig config = Config;
        long logStart = LogStartOffset;
        int deleted = DeleteSegments((_, next) => next is not null && next.BaseOffset <= logStart);
        if (!config.IsDeleteEnabled)
        {
            return deleted;
        }

        if (config.RetentionMs >= 0)
        {
            long now = NowMs;
            deleted += DeleteSegments((segment, _) => now - segment.LargestTimestamp > config.RetentionMs);
        }

        if (config.RetentionBytes >= 0)
        {
            long excess = Size - config.RetentionBytes;
            deleted += DeleteSegments((segment, _) =>
            {
                if (excess - segment.Size < 0)
                {
                    return false;
                }

                excess -= segment.Size;
                return true;
            });
        }

        return deleted;
    }

    /// <summary>
    /// DeleteRecords: moves the log start offset up to <paramref name="offset"/> (at most the high watermark) and
    /// deletes segments wholly below it. Returns the new log start offset (the low watermark).
    /// </summary>
    public long DeleteRecordsBefore(long offset)
    {
        ThrowIfOffline();
        lock (_writeLock)
        {
            if (offset > _highWatermark || offset < 0)
            {
                StorageThrow.OffsetOutOfRange(offset, _logStartOffset, _highWatermark);
            }

            if (offset > _logStartOffset)
            {
                Volatile.Write(ref _logStartOffset, offset);
                LeaderEpochs.TruncateFromStart(offset);
            }
        }

        DeleteSegments((_, next) => next is not null && next.BaseOffset <= offset);
        return LogStartOffset;
    }

    private int DeleteSegments(Func<LogSegment, LogSegment?, bool> shouldDelete)
    {
        lock (_writeLock)
        {
            LogSegment[] segments = _segments;
            long upperBound = Math.Min(_highWatermark, _logEndOffset);
            int count = 0;
            while (count < segments.Length)
            {
                LogSegment segment = segments[count];
                LogSegment? next = count + 1 < segments.Length ? segments[count + 1] : null;
                long segmentEnd = next?.BaseOffset ?? _logEndOffset;
                if ((next is null && segment.Size == 0) || !shouldDelete(segment, next) || segmentEnd > upperBound)
                {
                    break;
                }

                count++;
            }

            if (count == 0)
            {
                return 0;
            }

            try
            {
                if (count == segments.Length)
                {
                    RollLocked(Config, NowMs);
                    segments = _segments;
                }

                LogSegment[] removed = segments[..count];
                PublishSegments(segments[count..]);
                long newStart = Math.Max(_logStartOffset, _segments[0].BaseOffset);
                Volatile.Write(ref _logStartOffset, newStart);
                LeaderEpochs.TruncateFromStart(newStart);
                RemoveSegments(removed);
                DeleteProducerSnapshotsOf(removed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw MarkOffline(e);
            }

            return count;
        }
    }

    /// <summary>Renames segments <c>.deleted</c> now and deletes them after file.delete.delay.ms.</summary>
    private void RemoveSegments(IEnumerable<LogSegment> removed)
    {
        long delay = Config.FileDeleteDelayMs;
        foreach (LogSegment segment in removed)
        {
            segment.ChangeSuffix(SegmentFileNames.DeletedSuffix);
            _deleter.Schedule(segment, delay);
        }
    }

    /// <summary>
    /// Follower truncation: removes every batch from the one containing <paramref name="offset"/> on. Returns the
    /// new log end offset.
    /// </summary>
    public long TruncateTo(long offset)
    {
        ThrowIfOffline();
        lock (_writeLock)
        {
            if (offset >= _logEndOffset)
            {
                return _logEndOffset;
            }

            if (offset <= _segments[0].BaseOffset)
            {
                TruncateFullyAndStartAtLocked(Math.Max(offset, 0));
                return _logEndOffset;
            }

            try
            {
                WaitForRollFlush();
                LogSegment[] segments = _segments;
                int keep = FloorSegmentIndex(segments, offset);
                LogSegment[] removed = segments[(keep + 1)..];
                LogSegment last = segments[keep];
                last.TruncateTo(offset);
                last.PreallocateIndexes();
                PublishSegments(segments[..(keep + 1)]);
                RemoveSegments(removed);
                long end = last.ReadNextOffset();
                Volatile.Write(ref _logEndOffset, end);
                Volatile.Write(ref _highWatermark, Math.Min(_highWatermark, end));
                Volatile.Write(ref _recoveryPoint, Math.Min(_recoveryPoint, end));
                LeaderEpochs.TruncateFromEnd(end);
                DeleteProducerSnapshotsAfter(end);
                RebuildProducerState(_segments, _logStartOffset, end);
                return end;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw MarkOffline(e);
            }
        }
    }

    /// <summary>Deletes all data and restarts the log, empty, at <paramref name="offset"/>.</summary>
    public void TruncateFullyAndStartAt(long offset)
    {
        ThrowIfOffline();
        lock (_writeLock)
        {
            TruncateFullyAndStartAtLocked(offset);
        }
    }

    private void TruncateFullyAndStartAtLocked(long offset)
    {
        try
        {
            WaitForRollFlush();
            LogSegment[] old = _segments;
            foreach (LogSegment segment in old)
            {
                segment.ChangeSuffix(SegmentFileNames.DeletedSuffix);
            }

            LogSegment created = LogSegment.Create(Directory, offset, Config, NowMs);
            created.PreallocateIndexes();
            PublishSegments([created]);
            foreach (LogSegment segment in old)
            {
                _deleter.Schedule(segment, Config.FileDeleteDelayMs);
            }

            Volatile.Write(ref _logStartOffset, offset);
            Volatile.Write(ref _logEndOffset, offset);
            Volatile.Write(ref _highWatermark, offset);
            Volatile.Write(ref _recoveryPoint, offset);
            LeaderEpochs.Clear();
            DeleteProducerSnapshotsAfter(-1);
            _producerState.Clear(offset);
            _producerState.LastSnapshotOffset = -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MarkOffline(e);
        }
    }
}
