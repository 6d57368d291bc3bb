using System.Buffers.Binary;

namespace KafkaSharp.Storage.Index;

/// <summary>
/// The sparse offset index of one segment (<c>.index</c>): an entry every index.interval.bytes of log maps the
/// last offset of a batch to the file position where that batch starts. Entries are relative to the segment's base
/// offset, so they fit in 4 bytes. Big-endian, like every Kafka file:
/// <code>
/// +----------------------+----------------------+
/// | relativeOffset int32 | position int32       |  x entries, file preallocated then trimmed
/// +----------------------+----------------------+
/// </code>
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly IndexFile _file;
    private readonly EntryList<Entry> _entries;
    private int _persisted;

    private OffsetIndex(long baseOffset, IndexFile file, int maxEntries, EntryList<Entry> entries)
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

    /// <summary>The offset of the last entry, or the base offset when empty.</summary>
    public long LastOffset
    {
        get
        {
            ReadOnlySpan<Entry> entries = _entries.Snapshot();
            return entries.IsEmpty ? BaseOffset : BaseOffset + entries[^1].RelativeOffset;
        }
    }

    /// <summary>
    /// Opens the index, keeping the leading run of sane entries: offsets strictly increasing and positions
    /// increasing and below <paramref name="logSize"/>. A preallocated tail of zeros (left by an unclean shutdown)
    /// ends the run, so it is never mistaken for entries.
    /// </summary>
    public static OffsetIndex Open(string path, long baseOffset, int maxIndexBytes, long logSize)
    {
        IndexFile file = IndexFile.Open(path, EntrySize, out byte[] existing);
        int maxEntries = Math.Max(1, maxIndexBytes / EntrySize);
        var entries = new EntryList<Entry>(Math.Min(maxEntries, Math.Max(16, existing.Length / EntrySize)));
        int lastRelative = -1;
        int lastPosition = -1;
        for (int i = 0; i + EntrySize <= existing.Length; i += EntrySize)
        {
            int relative = BinaryPrimitives.ReadInt32BigEndian(existing.AsSpan(i));
            int position = BinaryPrimitives.ReadInt32BigEndian(existing.AsSpan(i + 4));
            if (relative <= lastRelative || position < lastPosition || position >= logSize)
            {
                break;
            }

            entries.Add(new Entry(relative, position));
            lastRelative = relative;
            lastPosition = position;
        }

        return new OffsetIndex(baseOffset, file, maxEntries, entries);
    }

    /// <summary>The position of the last indexed batch that ends at or before <paramref name="offset"/>; 0 if none.</summary>
    public int LookupPosition(long offset)
    {
        ReadOnlySpan<Entry> entries = _entries.Snapshot();
        long relative = offset - BaseOffset;
        int lo = 0;
        int hi = entries.Length - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relative)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : entries[found].Position;
    }

    /// <summary>The position of the last entry, or 0 when empty: where a scan for the segment's end can start.</summary>
    public int LastPosition
    {
        get
        {
            ReadOnlySpan<Entry> entries = _entries.Snapshot();
            return entries.IsEmpty ? 0 : entries[^1].Position;
        }
    }

    public void Append(long offset, int position)
    {
        long relative = offset - BaseOffset;
        if (IsFull || relative <= (_entries.Count == 0 ? -1 : LastOffset - BaseOffset) || relative > int.MaxValue)
        {
            return; // only ever called with increasing offsets; a full index has already asked for a roll
        }

        _entries.Add(new Entry((int)relative, position));
    }

    /// <summary>Drops entries for offsets at or above <paramref name="offset"/>.</summary>
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

    /// <summary>Drops every entry, on disk too, so a rebuild never leaves stale entries behind its new ones.</summary>
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
                BinaryPrimitives.WriteInt32BigEndian(target, entries[i].RelativeOffset);
                BinaryPrimitives.WriteInt32BigEndian(target[4..], entries[i].Position);
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

    private readonly record struct Entry(int RelativeOffset, int Position);
}
