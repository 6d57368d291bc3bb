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

    private readonly IndexFile _file;
    private readonly EntryList<Entry> _entries;
    private int _persisted;

    private TimeIndex(long baseOffset, IndexFile file, int maxEntries, EntryList<Entry> entries)
    {
        BaseOffset = baseOffset;
        _file = file;
        MaxEntries = maxEntries;
        _entries = entries;
        _persisted = entries.Count;
    }

    public long BaseOffset { get; }

    public int MaxEntries { get; }

    public int Count => _entries.Count;

    public bool IsFull => _entries.Count >= MaxEntries;

    public string FilePath => _file.FilePath;

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

    public void TruncateTo(long offset)
    {
        TruncateEntries(offset);
        _persisted = Math.Min(_persisted, _entries.Count);
        _file.Trim(_entries.Count);
    }

    private void TruncateEntries(long offset)
    {
        ReadOnlySpan<Entry> entries = _entries.Snapshot();
        int keep = entries.Length;
        while (keep > 0 && BaseOffset + entries[keep - 1].RelativeOffset >= offset)
        {
            keep--;
        }

        _entries.Truncate(keep);
    }

    public void Reset()
    {
        _entries.Truncate(0);
        _persisted = 0;
        _file.Trim(0);
    }

    public void Preallocate() => _file.Preallocate(MaxEntries);

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

    /// <summary>
    /// Writes the entries appended since the last call in one write. Appends only touch memory (Kafka gets the same
    /// from mmap): the file is brought up to date on flush, roll and close, and an index that missed entries in a
    /// crash belongs to a segment that recovery re-indexes anyway.
    /// </summary>
    private void WritePending()
    {
        ReadOnlySpan<Entry> entries = _entries.Snapshot();
        if (_persisted >= entries.Length)
        {
            return;
        }

        int count = entries.Length - _persisted;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(count * EntrySize);
        try
        {
            for (int i = _persisted; i < entries.Length; i++)
            {
                Span<byte> target = buffer.AsSpan((i - _persisted) * EntrySize, EntrySize);
                BinaryPrimitives.WriteInt64BigEndian(target, entries[i].Timestamp);
                BinaryPrimitives.WriteInt32BigEndian(target[8..], entries[i].RelativeOffset);
            }

            _file.Write(_persisted, buffer.AsSpan(0, count * EntrySize));
            _persisted = entries.Length;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Rename(string newPath) => _file.Rename(newPath);

    public void Delete() => _file.Delete();

    public void Dispose() => _file.Dispose();

    private readonly record struct Entry(long Timestamp, int RelativeOffset);
}
