using System.Buffers;

namespace KafkaSharp.Storage.Index;

/// <summary>One fixed-size entry of a segment index file, written big-endian as every Kafka file is.</summary>
internal interface IIndexEntry
{
    /// <summary>The entry's offset relative to the segment's base offset: what truncation compares.</summary>
    int RelativeOffset { get; }

    void WriteTo(Span<byte> destination);
}

/// <summary>
/// The bookkeeping both segment indexes share: entries kept in memory for lock-free readers, and written to the index
/// file in one write on flush, roll and close. Appends only touch memory (Kafka gets the same from mmap); an index that
/// missed entries in a crash belongs to a segment that recovery re-indexes anyway.
/// </summary>
internal sealed class PersistedEntries<T> : IDisposable where T : struct, IIndexEntry
{
    private readonly IndexFile _file;
    private readonly EntryList<T> _entries;
    private readonly int _entrySize;
    private int _persisted;

    public PersistedEntries(IndexFile file, EntryList<T> entries, int entrySize)
    {
        _file = file;
        _entries = entries;
        _entrySize = entrySize;
        _persisted = entries.Count;
    }

    public int Count => _entries.Count;

    public string FilePath => _file.FilePath;

    public ReadOnlySpan<T> Snapshot() => _entries.Snapshot();

    public void Add(T entry) => _entries.Add(entry);

    /// <summary>Drops entries whose relative offset is at or above <paramref name="relativeOffset"/>, on disk too.</summary>
    public void TruncateFrom(long relativeOffset)
    {
        ReadOnlySpan<T> entries = _entries.Snapshot();
        int keep = entries.Length;
        while (keep > 0 && entries[keep - 1].RelativeOffset >= relativeOffset)
        {
            keep--;
        }

        _entries.Truncate(keep);
        _persisted = Math.Min(_persisted, _entries.Count);
        _file.Trim(_entries.Count);
    }

    /// <summary>Drops every entry, on disk too, so a rebuild never leaves stale entries behind its new ones.</summary>
    public void Reset()
    {
        _entries.Truncate(0);
        _persisted = 0;
        _file.Trim(0);
    }

    public void Preallocate(int maxEntries) => _file.Preallocate(maxEntries);

    public void TrimToValidSize()
    {
        WritePending();
        _file.Trim(_entries.Count);
    }

    public void Flush()
    {
        WritePending();
        _file.Flush();
    }

    public void Rename(string newPath) => _file.Rename(newPath);

    public void Delete() => _file.Delete();

    public void Dispose() => _file.Dispose();

    /// <summary>Writes the entries appended since the last call in one write.</summary>
    private void WritePending()
    {
        ReadOnlySpan<T> entries = _entries.Snapshot();
        if (_persisted >= entries.Length)
        {
            return;
        }

        int count = entries.Length - _persisted;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count * _entrySize);
        try
        {
            for (int i = _persisted; i < entries.Length; i++)
            {
                entries[i].WriteTo(buffer.AsSpan((i - _persisted) * _entrySize, _entrySize));
            }

            _file.Write(_persisted, buffer.AsSpan(0, count * _entrySize));
            _persisted = entries.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
