using KafkaSharp.Protocol;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

/// <summary>
/// One partition's log: a directory of segments, appended to by one writer (serialised by a lock held only for the
/// append itself) and read by any number of readers without locks. Readers take a snapshot of the immutable segment
/// array and the published log end offset; segments that leave the array stay open for file.delete.delay.ms so a
/// reader that already holds one can finish.
/// </summary>
public sealed partial class PartitionLog : IDisposable
{
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _time;
    private readonly Action<string, Exception>? _onStorageFailure;
    private readonly DelayedSegmentDeleter _deleter;
    private LogSegment[] _segments;
    private LogConfig _config;
    private long _logStartOffset;
    private long _logEndOffset;
    private long _highWatermark;
    private long _recoveryPoint;
    private long _unflushedBatches;
    private long _lastFlushMs;
    private Task _rollFlush = Task.CompletedTask;
    private volatile bool _offline;
    private bool _disposed;

    private PartitionLog(string dir, TopicPartition topicPartition, LogConfig config, TimeProvider time, Action<string, Exception>? onStorageFailure)
    {
        Directory = dir;
        TopicPartition = topicPartition;
        _config = config;
        _time = time;
        _onStorageFailure = onStorageFailure;
        _segments = [];
        _deleter = new DelayedSegmentDeleter(time);
        LeaderEpochs = new LeaderEpochCache(dir);
    }

    public string Directory { get; }

    public TopicPartition TopicPartition { get; }

    public LogConfig Config => Volatile.Read(ref _config);

    public LeaderEpochCache LeaderEpochs { get; }

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>Set by the broker (replication); bounds reads that ask for committed data and retention.</summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>Everything below this offset is known to be fsynced; recovery starts here.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    public bool IsOffline => _offline;

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Bytes of all segments.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (LogSegment segment in Volatile.Read(ref _segments))
            {
                size += segment.Size;
            }

            return size;
        }
    }

    /// <summary>The base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets => Array.ConvertAll(Volatile.Read(ref _segments), s => s.BaseOffset);

    internal LogSegment[] Segments => Volatile.Read(ref _segments);

    internal LogSegment ActiveSegment => Volatile.Read(ref _segments)[^1];

    internal Lock WriteLock => _writeLock;

    internal TimeProvider Time => _time;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Applies a live config change; segment-shape settings take effect from the next segment.</summary>
    public void UpdateConfig(LogConfig config) => Volatile.Write(ref _config, config);

    /// <summary>Moves the high watermark (clamped to the log's bounds).</summary>
    public void UpdateHighWatermark(long offset)
    {
        lock (_writeLock)
        {
            Volatile.Write(ref _highWatermark, Math.Clamp(offset, LogStartOffset, LogEndOffset));
        }
    }

    private void PublishSegments(LogSegment[] segments) => Volatile.Write(ref _segments, segments);

    private void ThrowIfOffline()
    {
        if (_offline)
        {
            StorageThrow.Offline(Directory);
        }
    }

    /// <summary>
    /// An I/O error leaves the on-disk state unknown: stop serving this log (and, through the callback, its whole
    /// log dir) rather than risk corrupting it further. The broker answers KAFKA_STORAGE_ERROR from then on.
    /// </summary>
    internal StorageException MarkOffline(Exception cause)
    {
        _offline = true;
        _onStorageFailure?.Invoke(Directory, cause);
        return new StorageException(ErrorCode.KafkaStorageError, $"I/O error on log {TopicPartition} in {Directory}: {cause.Message}", cause);
    }

    /// <summary>Called by the log manager when another log in the same dir failed.</summary>
    internal void SetOffline() => _offline = true;

    /// <summary>The segment holding <paramref name="offset"/>: the last one whose base offset is ≤ it.</summary>
    private static int FloorSegmentIndex(LogSegment[] segments, long offset)
    {
        int lo = 0;
        int hi = segments.Length - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>Flushes, trims indexes and closes every segment: a clean close that needs no recovery.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        WaitForRollFlush();
        if (!_offline)
        {
            try
            {
                TakeProducerSnapshot(sync: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next load replays the log instead.
            }
        }

        LogSegment[] segments = Volatile.Read(ref _segments);
        int firstUnflushed = Math.Max(0, FloorSegmentIndex(segments, RecoveryPoint));
        for (int i = 0; i < segments.Length; i++)
        {
            LogSegment segment = segments[i];
            try
            {
                if (!_offline)
                {
                    // Segments below the recovery point are already durable; only the rest need an fsync.
                    segment.Close(flush: i >= firstUnflushed);
                }
                else
                {
                    segment.Dispose();
                }
            }
            catch (IOException)
            {
                segment.Dispose();
            }
        }

        _deleter.Dispose();
    }

    /// <summary>Closes file handles without flushing or trimming: what a crash leaves behind, for tests.</summary>
    internal void CloseUncleanly()
    {
        WaitForRollFlush();
        _disposed = true;
        foreach (LogSegment segment in Volatile.Read(ref _segments))
        {
            segment.Dispose();
        }

        _deleter.Dispose();
    }

    private void WaitForRollFlush()
    {
        try
        {
            _rollFlush.Wait();
        }
        catch (AggregateException)
        {
            // Already reported through MarkOffline by the flush itself.
        }
    }
}
