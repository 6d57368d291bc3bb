using System.Buffers;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Index;
using Microsoft.Win32.SafeHandles;

namespace KafkaSharp.Storage.Segments;

/// <summary>
/// One segment: a <c>.log</c> file of record batches exactly as on the wire, plus its offset and time indexes.
/// Only the partition's single writer appends; readers see bytes up to <see cref="Size"/>, which is published
/// only after the bytes are written, so a reader never sees a half-written batch.
/// </summary>
internal sealed partial class LogSegment : IDisposable
{
    private readonly SafeFileHandle _log;
    private readonly int _indexIntervalBytes;
    private readonly long _createdMs;
    private long _size;
    private int _bytesSinceLastIndexEntry;
    private long _maxTimestampSoFar = -1;
    private long _offsetOfMaxTimestampSoFar;
    private long _rollingBasedTimestamp = -1;
    private string _suffix;

    private LogSegment(string dir, long baseOffset, SafeFileHandle log, OffsetIndex offsetIndex, TimeIndex timeIndex, int indexIntervalBytes, long createdMs, string suffix)
    {
        Directory = dir;
        BaseOffset = baseOffset;
        _log = log;
        OffsetIndex = offsetIndex;
        TimeIndex = timeIndex;
        _indexIntervalBytes = indexIntervalBytes;
        _createdMs = createdMs;
        _suffix = suffix;
        _size = RandomAccess.GetLength(log);
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    public OffsetIndex OffsetIndex { get; }

    public TimeIndex TimeIndex { get; }

    public SafeFileHandle Handle => _log;

    public string LogPath => SegmentFileNames.LogFile(Directory, BaseOffset, _suffix);

    /// <summary>Bytes of whole batches in the log file, as published to readers.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>The largest batch max-timestamp in the segment, -1 if none is known.</summary>
    public long MaxTimestampSoFar => Volatile.Read(ref _maxTimestampSoFar);

    public long OffsetOfMaxTimestampSoFar => _offsetOfMaxTimestampSoFar;

    /// <summary>What retention.ms compares: the max timestamp, or the file's modification time when none is known.</summary>
    public long LargestTimestamp
    {
        get
        {
            long max = MaxTimestampSoFar;
            return max >= 0 ? max : new DateTimeOffset(File.GetLastWriteTimeUtc(LogPath)).ToUnixTimeMilliseconds();
        }
    }

    /// <summary>Creates a new empty segment; the indexes are preallocated because it becomes the active one.</summary>
    public static LogSegment Create(string dir, long baseOffset, LogConfig config, long nowMs, string suffix = "")
    {
        string logPath = SegmentFileNames.LogFile(dir, baseOffset, suffix);
        SafeFileHandle log = File.OpenHandle(logPath, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var offsetIndex = OffsetIndex.Open(SegmentFileNames.IndexFile(dir, baseOffset, suffix), baseOffset, config.SegmentIndexBytes, 0);
        var timeIndex = TimeIndex.Open(SegmentFileNames.TimeIndexFile(dir, baseOffset, suffix), baseOffset, config.SegmentIndexBytes);
        offsetIndex.Reset();
        timeIndex.Reset();
        return new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex, config.IndexIntervalBytes, nowMs, suffix);
    }

    /// <summary>Opens an existing segment, trusting its indexes' sane prefix (recovery rebuilds them when needed).</summary>
    public static LogSegment Open(string dir, long baseOffset, LogConfig config, long nowMs, string suffix = "")
    {
        string logPath = SegmentFileNames.LogFile(dir, baseOffset, suffix);
        SafeFileHandle log = File.OpenHandle(logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        long logSize = RandomAccess.GetLength(log);
        var offsetIndex = OffsetIndex.Open(SegmentFileNames.IndexFile(dir, baseOffset, suffix), baseOffset, config.SegmentIndexBytes, logSize);
        var timeIndex = TimeIndex.Open(SegmentFileNames.TimeIndexFile(dir, baseOffset, suffix), baseOffset, config.SegmentIndexBytes);
        var segment = new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex, config.IndexIntervalBytes, nowMs, suffix);
        segment._maxTimestampSoFar = timeIndex.LastTimestamp;
        segment._offsetOfMaxTimestampSoFar = timeIndex.LastOffset;
        return segment;
    }

    /// <summary>
    /// Appends already-validated batches (offsets assigned) with one write, then indexes them: an offset-index entry
    /// (batch last offset → batch position) whenever index.interval.bytes have passed since the last one.
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches)
    {
        long start = _size;
        RandomAccess.Write(_log, batches, start);
        int offset = 0;
        while (offset < batches.Length)
        {
            BatchInfo.TryRead(batches[offset..], out BatchInfo batch);
            IndexBatch(batch, start + offset);
            offset += batch.TotalSize;
        }

        Volatile.Write(ref _size, start + batches.Length);
    }

    private void IndexBatch(in BatchInfo batch, long position)
    {
        if (batch.MaxTimestamp > _maxTimestampSoFar)
        {
            _offsetOfMaxTimestampSoFar = batch.LastOffset;
            Volatile.Write(ref _maxTimestampSoFar, batch.MaxTimestamp);
        }

        if (_rollingBasedTimestamp < 0)
        {
            _rollingBasedTimestamp = batch.MaxTimestamp;
        }

        if (_bytesSinceLastIndexEntry > _indexIntervalBytes)
        {
            OffsetIndex.Append(batch.LastOffset, (int)position);
            TimeIndex.MaybeAppend(_maxTimestampSoFar, _offsetOfMaxTimestampSoFar);
            _bytesSinceLastIndexEntry = 0;
        }

        _bytesSinceLastIndexEntry += batch.TotalSize;
    }

    /// <summary>
    /// True when an append of <paramref name="incomingBytes"/> ending at <paramref name="incomingLastOffset"/> must go
    /// to a new segment: segment.bytes, segment.ms (measured from the first batch's timestamp, as Kafka does, else from
    /// creation), a full index, or offsets that no longer fit the indexes' 4-byte relative offsets.
    /// </summary>
    public bool ShouldRoll(LogConfig config, int incomingBytes, long incomingLastOffset, long incomingMaxTimestamp, long nowMs)
    {
        long size = _size;
        if (size == 0)
        {
            return false;
        }

        long waited = _rollingBasedTimestamp >= 0 ? incomingMaxTimestamp - _rollingBasedTimestamp : nowMs - _createdMs;
        return size > config.SegmentBytes - (long)incomingBytes
            || waited > config.SegmentMs
            || OffsetIndex.IsFull
            || TimeIndex.IsFull
            || incomingLastOffset - BaseOffset > int.MaxValue;
    }

    /// <summary>True when segment.ms has passed with no append, used by the periodic check.</summary>
    public bool IsTimeToRoll(LogConfig config, long nowMs) =>
        _size > 0 && (_rollingBasedTimestamp >= 0 ? nowMs - _rollingBasedTimestamp : nowMs - _createdMs) > config.SegmentMs;

    /// <summary>Reads a batch header at <paramref name="position"/>; false when fewer than 61 bytes remain below <paramref name="limit"/>.</summary>
    public bool TryReadBatchAt(long position, long limit, out BatchInfo batch)
    {
        if (position + RecordBatchHeader.Size > limit)
        {
            batch = default;
            return false;
        }

        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        if (RandomAccess.Read(_log, header, position) < header.Length)
        {
            batch = default;
            return false;
        }

        return BatchInfo.TryRead(header, out batch) && batch.TotalSize >= RecordBatchHeader.Size && position + batch.TotalSize <= limit;
    }

    /// <summary>The first batch whose last offset is ≥ <paramref name="offset"/>, found from the index then by scanning.</summary>
    public bool TryFindBatch(long offset, long limit, out long position, out BatchInfo batch)
    {
        position = OffsetIndex.LookupPosition(offset);
        while (TryReadBatchAt(position, limit, out batch))
        {
            if (batch.LastOffset >= offset)
            {
                return true;
            }

            position += batch.TotalSize;
        }

        return false;
    }

    /// <summary>
    /// Whole batches from the one containing <paramref name="startOffset"/>, up to <paramref name="maxBytes"/>
    /// (at least one batch when <paramref name="minOneBatch"/>, KIP-74), stopping before any batch whose base offset
    /// is ≥ <paramref name="maxOffsetExclusive"/>. Null when the segment holds nothing at or after the offset.
    /// </summary>
    public FileSlice? Read(long startOffset, int maxBytes, long maxOffsetExclusive, bool minOneBatch)
    {
        long limit = Size;
        if (!TryFindBatch(startOffset, limit, out long start, out BatchInfo batch))
        {
            return null;
        }

        long end = start;
        while (batch.BaseOffset < maxOffsetExclusive)
        {
            long length = end - start + batch.TotalSize;
            if (length > maxBytes && !(minOneBatch && end == start))
            {
                break;
            }

            end += batch.TotalSize;
            if (!TryReadBatchAt(end, limit, out batch))
            {
                break;
            }
        }

        return new FileSlice(_log, start, (int)(end - start));
    }

    /// <summary>The offset after the last batch, or the base offset when empty.</summary>
    public long ReadNextOffset()
    {
        long limit = Size;
        long position = OffsetIndex.LastPosition;
        long next = BaseOffset;
        while (TryReadBatchAt(position, limit, out BatchInfo batch))
        {
            next = batch.NextOffset;
            position += batch.TotalSize;
        }

        return next;
    }

    /// <summary>
    /// The first batch at or after <paramref name="startingOffset"/> whose max timestamp is ≥ <paramref name="timestamp"/>.
    /// </summary>
    public bool TryFindBatchByTimestamp(long timestamp, long startingOffset, out long position, out BatchInfo batch)
    {
        long limit = Size;
        long fromOffset = Math.Max(TimeIndex.LookupOffset(timestamp), startingOffset);
        position = OffsetIndex.LookupPosition(fromOffset);
        while (TryReadBatchAt(position, limit, out batch))
        {
            if (batch.MaxTimestamp >= timestamp && batch.LastOffset >= startingOffset)
            {
                return true;
            }

            position += batch.TotalSize;
        }

        return false;
    }

    /// <summary>Reads one whole batch into a rented buffer; the caller returns it to the pool.</summary>
    public byte[] ReadBatch(long position, int size)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        new FileSlice(_log, position, size).CopyTo(buffer);
        return buffer;
    }

    /// <summary>Removes every batch from the one containing <paramref name="offset"/> on; returns bytes removed.</summary>
    public long TruncateTo(long offset)
    {
        long limit = Size;
        if (!TryFindBatch(offset, limit, out long position, out _))
        {
            return 0;
        }

        OffsetIndex.TruncateTo(offset);
        TimeIndex.TruncateTo(offset);
        RandomAccess.SetLength(_log, position);
        Volatile.Write(ref _size, position);
        _bytesSinceLastIndexEntry = 0;
        _maxTimestampSoFar = TimeIndex.LastTimestamp;
        _offsetOfMaxTimestampSoFar = TimeIndex.LastOffset;
        if (position == 0)
        {
            _rollingBasedTimestamp = -1;
        }

        return limit - position;
    }

    /// <summary>Sizes the indexes for appends; only the active segment is preallocated.</summary>
    public void PreallocateIndexes()
    {
        OffsetIndex.Preallocate();
        TimeIndex.Preallocate();
    }

    /// <summary>Called on roll: record the final max timestamp and trim the preallocated index files.</summary>
    public void OnBecomeInactive()
    {
        TimeIndex.MaybeAppend(_maxTimestampSoFar, _offsetOfMaxTimestampSoFar);
        OffsetIndex.TrimToValidSize();
        TimeIndex.TrimToValidSize();
    }

    public void Flush()
    {
        RandomAccess.FlushToDisk(_log);
        OffsetIndex.Flush();
        TimeIndex.Flush();
    }

    /// <summary>Renames all files from one suffix to another (e.g. "" → ".deleted", ".cleaned" → ".swap").</summary>
    public void ChangeSuffix(string newSuffix)
    {
        File.Move(LogPath, SegmentFileNames.LogFile(Directory, BaseOffset, newSuffix), overwrite: true);
        OffsetIndex.Rename(SegmentFileNames.IndexFile(Directory, BaseOffset, newSuffix));
        TimeIndex.Rename(SegmentFileNames.TimeIndexFile(Directory, BaseOffset, newSuffix));
        _suffix = newSuffix;
    }

    public void DeleteFiles()
    {
        string logPath = LogPath;
        _log.Dispose();
        File.Delete(logPath);
        OffsetIndex.Delete();
        TimeIndex.Delete();
    }

    /// <summary>
    /// Closes after recording the final max timestamp and trimming the indexes, as a clean shutdown does; fsyncs
    /// first when the segment may hold unflushed data.
    /// </summary>
    public void Close(bool flush)
    {
        if (_log.IsClosed)
        {
            return;
        }

        OnBecomeInactive();
        if (flush)
        {
            Flush();
        }

        Dispose();
    }

    public void Dispose()
    {
        _log.Dispose();
        OffsetIndex.Dispose();
        TimeIndex.Dispose();
    }
}
