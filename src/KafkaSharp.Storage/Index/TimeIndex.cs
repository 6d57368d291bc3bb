using System.Buffers.Binary;

namespace KafkaSharp.Storage.Index;

/// <summary>
/// The time index of one segment (<c>.timeindex</c>): entries of (max timestamp so far, offset of the record that
/// carries it), appended only when the timestamp grows, so the file is sorted on both columns:
/// <code>
/// +------------------+----------------------+
/// | timestamp int64  | relativeOffset int32 |  x entries
/// +------------------+----------------------+
/// </code>
/// </summary>
internal sealed class TimeIndex : IDisposable
{
    public const int EntrySize = 12;

    private readonly PersistedEntries<Entry> _entries;

    private TimeIndex(long baseOffset, IndexFile file, int maxEntries, EntryList<Entry> entries)
    {
        BaseOffset = baseOffset;
        MaxEntries = maxEntries;
        _entries = new PersistedEntries<Entry>(file, entries, EntrySize);
    }

    public long BaseOffset { get; }

    public int MaxEntries { get; }

    public int Count => _entries.Count;

    public bool IsFull => _entries.Count >= MaxEntries;

    public string FilePath => _entries.FilePath;

    /// <summary>The last entry's timestamp, or -1 (Kafka's NO_TIMESTAMP) when empty.</summary>
    public long LastTimestamp
    {
        get
        {
            ReadOnlySpan<Entry> entries = _entries.Snapshot();
            return entries.IsEmpty ? -1 : entries[^1].Timestamp;
        }
    }

    public long LastOffset
    {
        get
        {
            ReadOnlySpan<Entry> entries = _entries.Snapshot();
            return entries.IsEmpty ? BaseOffset : BaseOffset + entries[^1].RelativeOffset;
        }
    }

    /// <summary>Opens the index keeping the leading run of entries increasing in timestamp and not decreasing in offset.</summary>
    public static TimeIndex Open(string path, long baseOffset, int maxIndexBytes)
    {
        IndexFile file = IndexFile.Open(path, EntrySize, out byte[] existing);
        int maxEntries = Math.Max(1, maxIndexBytes / EntrySize);
        var entries = new EntryList<Entry>(Math.Min(maxEntries, Math.Max(16, existing.Length / EntrySize)));
        long lastTimestamp = long.MinValue;
        int lastRelative = -1;
        for (int i = 0; i + EntrySize <= existing.Length; i += EntrySize)
        {
            long timestamp = BinaryPrimitives.ReadInt64BigEndian(existing.AsSpan(i));
            int relative = BinaryPrimitives.ReadInt32BigEndian(existing.AsSpan(i + 8));
            if (timestamp <= lastTimestamp || relative < lastRelative || (timestamp == 0 && relative == 0 && i > 0))
            {
                break;
            }

            entries.Add(new Entry(timestamp, relative));
            lastTimestamp = timestamp;
            lastRelative = relative;
        }

        return new TimeIndex(baseOffset, file, maxEntries, entries);
    }

    /// <summary>The offset to start scanning from for the first record with timestamp ≥ <paramref name="timestamp"/>.</summary>
    public long LookupOffset(long timestamp)
    {
        ReadOnlySpan<Entry> entries = _entries.Snapshot();
        int lo = 0;
        int hi = entries.Length - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // Every record before the found entry's offset has a timestamp below the target, so start there.
        return found < 0 ? BaseOffset : BaseOffset + entries[found].RelativeOffset;
    }

    /// <summary>Appends an entry only when <paramref name="timestamp"/> exceeds the last one, keeping both columns sorted.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        long relative = offset - BaseOffset;
        if (IsFull || timestamp <= LastTimestamp || relative < 0 || relative > int.MaxValue)
        {
            return;
        }

        if (_entries.Count > 0 && relative < LastOffset - BaseOffset)
        {
            return;
        }

        _entries.Add(new Entry(timestamp, (int)relative));
    }

    /// <summary>Drops entries for offsets at or above <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset) => _entries.TruncateFrom(offset - BaseOffset);

    /// <summary>Drops every entry, on disk too, so a rebuild never leaves stale entries behind its new ones.</summary>
    public void Reset() => _entries.Reset();

    public void Preallocate() => _entries.Preallocate(MaxEntries);

    public void TrimToValidSize() => _entries.TrimToValidSize();

    public void Flush() => _entries.Flush();

    public void Rename(string newPath) => _entries.Rename(newPath);

    public void Delete() => _entries.Delete();

    public void Dispose() => _entries.Dispose();

    private readonly record struct Entry(long Timestamp, int RelativeOffset) : IIndexEntry
    {
        public void WriteTo(Span<byte> destination)
        {
            BinaryPrimitives.WriteInt64BigEndian(destination, Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(destination[8..], RelativeOffset);
        }
    }
}
