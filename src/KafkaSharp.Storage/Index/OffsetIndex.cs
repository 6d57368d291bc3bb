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

    private readonly PersistedEntries<Entry> _entries;

    private OffsetIndex(long baseOffset, IndexFile file, int maxEntries, EntryList<Entry> entries)
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
    public void TruncateTo(long offset) => _entries.TruncateFrom(offset - BaseOffset);

    /// <summary>Drops every entry, on disk too, so a rebuild never leaves stale entries behind its new ones.</summary>
    public void Reset() => _entries.Reset();

    public void Preallocate() => _entries.Preallocate(MaxEntries);

    public void TrimToValidSize() => _entries.TrimToValidSize();

    public void Flush() => _entries.Flush();

    public void Rename(string newPath) => _entries.Rename(newPath);

    public void Delete() => _entries.Delete();

    public void Dispose() => _entries.Dispose();

    private readonly record struct Entry(int RelativeOffset, int Position) : IIndexEntry
    {
        public void WriteTo(Span<byte> destination)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination, RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(destination[4..], Position);
        }
    }
}
