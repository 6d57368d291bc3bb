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
    /// OffsetsForLeaderEpoch (KIP-101/320), answered as Kafka's leader-epoch cache answers it: for the latest epoch,
    /// itself and the log end; otherwise the largest known epoch ≤ <paramref name="requestedEpoch"/> and the start of
    /// the next higher one. An epoch above every known one (or a negative one, or an empty cache) is undefined
    /// (-1, -1); one below the first known epoch is answered with itself and the first epoch's start offset.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int requestedEpoch, long logEndOffset)
    {
        lock (_lock)
        {
            if (requestedEpoch < 0 || _entries.Count == 0)
            {
                return (-1, -1);
            }

            if (_entries[^1].Epoch == requestedEpoch)
            {
                return (requestedEpoch, logEndOffset);
            }

            // A plain loop, not FindIndex with a lambda: this runs for every fetch that carries a last-fetched epoch.
            int higher = 0;
            while (higher < _entries.Count && _entries[higher].Epoch <= requestedEpoch)
            {
                higher++;
            }

            if (higher == _entries.Count)
            {
                return (-1, -1);
            }

            return higher == 0
                ? (requestedEpoch, _entries[0].StartOffset)
                : (_entries[higher - 1].Epoch, _entries[higher].StartOffset);
        }
    }

    /// <summary>The epoch in which <paramref name="offset"/> was written (-1 when unknown), for ListOffsets v4+.</summary>
    public int EpochForOffset(long offset)
    {
        lock (_lock)
        {
            int epoch = -1;
            foreach (EpochEntry entry in _entries)
            {
                if (entry.StartOffset > offset)
                {
                    break;
                }

                epoch = entry.Epoch;
            }

            return epoch;
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
