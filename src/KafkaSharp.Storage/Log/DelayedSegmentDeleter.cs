using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

/// <summary>
/// Deletes segments that left the log (retention, compaction, truncation) after file.delete.delay.ms. Their files
/// are already renamed <c>.deleted</c>; keeping the handles open meanwhile lets readers finish their slices.
/// </summary>
internal sealed class DelayedSegmentDeleter(TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<(LogSegment Segment, ITimer Timer)> _pending = [];
    private bool _disposed;

    public void Schedule(LogSegment segment, long delayMs)
    {
        lock (_lock)
        {
            if (_disposed || delayMs <= 0)
            {
                DeleteQuietly(segment);
                return;
            }

            ITimer? timer = null;
            timer = time.CreateTimer(_ => Complete(segment), null, TimeSpan.FromMilliseconds(delayMs), Timeout.InfiniteTimeSpan);
            _pending.Add((segment, timer));
        }
    }

    private void Complete(LogSegment segment)
    {
        lock (_lock)
        {
            int index = _pending.FindIndex(p => ReferenceEquals(p.Segment, segment));
            if (index < 0)
            {
                return;
            }

            _pending[index].Timer.Dispose();
            _pending.RemoveAt(index);
        }

        DeleteQuietly(segment);
    }

    private static void DeleteQuietly(LogSegment segment)
    {
        try
        {
            segment.DeleteFiles();
        }
        catch (IOException)
        {
            // A leftover .deleted file is removed by the next load.
        }
    }

    /// <summary>Deletes everything still pending at once (log closed or deleted).</summary>
    public void Dispose()
    {
        List<(LogSegment Segment, ITimer Timer)> pending;
        lock (_lock)
        {
            _disposed = true;
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach ((LogSegment segment, ITimer timer) in pending)
        {
            timer.Dispose();
            DeleteQuietly(segment);
        }
    }
}
