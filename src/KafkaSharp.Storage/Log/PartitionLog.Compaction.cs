using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Commits a cleaned segment (already flushed and renamed <c>.swap</c>) in place of the segments it was built
    /// from: the only moment compaction takes the write lock, for a few renames. Returns false (and leaves the log
    /// alone) when those segments changed meanwhile, e.g. retention deleted one.
    /// Crash safety: once the <c>.swap</c> file exists the swap is committed; loading finishes it.
    /// </summary>
    internal bool ReplaceSegments(IReadOnlyList<LogSegment> group, LogSegment cleaned)
    {
        lock (_writeLock)
        {
            if (_offline || _disposed)
            {
                return false;
            }

            LogSegment[] segments = _segments;
            int start = Array.IndexOf(segments, group[0]);
            if (start < 0 || start + group.Count >= segments.Length)
            {
                return false;
            }

            for (int i = 0; i < group.Count; i++)
            {
                if (!ReferenceEquals(segments[start + i], group[i]))
                {
                    return false;
                }
            }

            try
            {
                PublishSegments([.. segments[..start], cleaned, .. segments[(start + group.Count)..]]);
                RemoveSegments(group);
                cleaned.ChangeSuffix("");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw MarkOffline(e);
            }

            return true;
        }
    }
}
