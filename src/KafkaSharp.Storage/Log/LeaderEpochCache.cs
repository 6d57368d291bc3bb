using KafkaSharp.Storage.Checkpoints;

namespace KafkaSharp.Storage.Log;

/// <summary>
/// Which leader epoch started at which offset (KIP-101), persisted in <c>leader-epoch-checkpoint</c>. A new entry
/// is rare (once per leader change), so each change rewrites the small checkpoint.
/// </summary>
public sealed class LeaderEpochCache
{
    private readonly LeaderEpochCheckpointFile _file;
    private readonly Lock _lock = new();
    private readonly List<EpochEntry> _entries;

    internal LeaderEpochCache(string partitionDir)
    {
        _file = new LeaderEpochCheckpointFile(Path.Combine(partitionDir, LeaderEpochCheckpointFile.FileName));
        _entries = _file.Read();
    }

    public IReadOnlyList<EpochEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>The latest epoch, or -1 when none is known.</summary>
    public int LatestEpoch
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count == 0 ? -1 : _entries[^1].Epoch;
            }
        }
    }

    /// <summary>Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/> if it is newer than the latest.</summary>
    public void Assign(int epoch, long startOffset, bool persist = true)
    {
        if (epoch < 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Count > 0 && _entries[^1].Epoch >= epoch)
            {
                return;
            }

            // An older epoch can't start at or after a newer one's start offset: drop such stale entries.
            _entries.RemoveAll(e => e.StartOffset >= startOffset);
            _entries.Add(new EpochEntry(epoch, startOffset));
            if (persist)
            {
                _file.Write(_entries);
            }
        }
    }

    /// <summary>
    /// For OffsetsForLeaderEpoch: the largest epoch ≤ <paramref name="requestedEpoch"/> and the offset where the next
    /// epoch starts (or the log end offset for the latest); (-1, -1) when unknown.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int requestedEpoch, long logEndOffset)
    {
        lock (_lock)
        {
            for (int i = _entries.Count - 1; i >= 0; i--)
            {
                if (_entries[i].Epoch <= requestedEpoch)
                {
                    long end = i == _entries.Count - 1 ? logEndOffset : _entries[i + 1].StartOffset;
                    return (_entries[i].Epoch, end);
                }
            }

            return (-1, -1);
        }
    }

    /// <summary>Drops entries starting at or after <paramref name="endOffset"/> (log truncated to it).</summary>
    public void TruncateFromEnd(long endOffset)
    {
        lock (_lock)
        {
            if (_entries.RemoveAll(e => e.StartOffset >= endOffset) > 0)
            {
                _file.Write(_entries);
            }
        }
    }

    /// <summary>Drops entries wholly before <paramref name="startOffset"/> and moves the first one up to it.</summary>
    public void TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            int covering = _entries.FindLastIndex(e => e.StartOffset <= startOffset);
            if (covering < 0 || (covering == 0 && _entries[0].StartOffset == startOffset))
            {
                return;
            }

            EpochEntry kept = _entries[covering];
            _entries.RemoveRange(0, covering + 1);
            _entries.Insert(0, kept with { StartOffset = startOffset });
            _file.Write(_entries);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _file.Write(_entries);
        }
    }

    internal void Persist()
    {
        lock (_lock)
        {
            _file.Write(_entries);
        }
    }
}
