using System.Buffers;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Reads the records of one magic-2 batch (layout on <see cref="RecordBatchHeader"/>). Opening checks the
/// whole batch once: CRC, that every record fits inside the batch with its own length, that the record
/// count matches the records present, and that offset deltas rise within the last offset delta. Iterating
/// afterwards cannot fail and allocates nothing per record.
/// <para>
/// Uncompressed records are read where they lie. Compressed ones are inflated once into a pooled buffer, and a
/// batch that spans several sequence segments is copied into one; <see cref="Dispose"/> returns those buffers,
/// after which records from this reader must not be touched.
/// </para>
/// </summary>
public ref struct RecordBatchReader : IDisposable
{
    private readonly ReadOnlySpan<byte> _records;
    private PooledBufferWriter? _decompressed;
    private byte[]? _copied;

    private RecordBatchReader(RecordBatchHeader header, ReadOnlySpan<byte> records, PooledBufferWriter? decompressed, byte[]? copied, bool contiguous)
    {
        Header = header;
        _records = records;
        _decompressed = decompressed;
        _copied = copied;
        OffsetsAreContiguous = contiguous;
    }

    public RecordBatchHeader Header { get; }

    /// <summary>
    /// True when the record offset deltas are exactly 0, 1, 2, ... and the last offset delta is count - 1: what a
    /// producer must send. Batches rewritten by compaction legitimately have gaps, so this is not enforced here.
    /// </summary>
    public bool OffsetsAreContiguous { get; }

    /// <summary>The uncompressed records section (decompressed when the batch is compressed).</summary>
    public readonly ReadOnlySpan<byte> RecordsData => _records;

    /// <summary>
    /// Opens the batch at the start of <paramref name="batch"/>; bytes after it are ignored. Throws
    /// <see cref="KafkaProtocolException"/> (usually <see cref="CorruptRecordException"/>) for anything invalid.
    /// </summary>
    public static RecordBatchReader Open(ReadOnlySpan<byte> batch, bool verifyCrc = true, int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes) =>
        OpenCore(batch, null, verifyCrc, maxDecompressedBytes);

    /// <summary>
    /// Opens the batch at the start of <paramref name="batch"/>. A batch inside one segment is read in place;
    /// one that spans segments is first copied into a pooled buffer.
    /// </summary>
    public static RecordBatchReader Open(in ReadOnlySequence<byte> batch, bool verifyCrc = true, int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        ReadOnlySpan<byte> first = batch.FirstSpan;
        if (batch.IsSingleSegment)
        {
            return OpenCore(first, null, verifyCrc, maxDecompressedBytes);
        }

        if (batch.Length < RecordBatchHeader.Size)
        {
            ProtocolThrow.Truncated(RecordBatchHeader.Size, batch.Length);
        }

        Span<byte> prefix = stackalloc byte[RecordBatchHeader.Size];
        batch.Slice(0, RecordBatchHeader.Size).CopyTo(prefix);
        RecordBatchHeader header = RecordBatchHeader.Read(prefix);
        if (first.Length >= header.TotalSize)
        {
            // Later segments hold other data; this batch itself is contiguous.
            return OpenCore(first, null, verifyCrc, maxDecompressedBytes);
        }

        if (batch.Length < header.TotalSize)
        {
            ProtocolThrow.Truncated(header.TotalSize, batch.Length);
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(header.TotalSize);
        try
        {
            batch.Slice(0, header.TotalSize).CopyTo(copy);
            return OpenCore(copy.AsSpan(0, header.TotalSize), copy, verifyCrc, maxDecompressedBytes);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(copy);
            throw;
        }
    }

    public readonly Enumerator GetEnumerator() => new(_records, Header);

    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
        if (_copied is not null)
        {
            ArrayPool<byte>.Shared.Return(_copied);
            _copied = null;
        }
    }

    private static RecordBatchReader OpenCore(ReadOnlySpan<byte> batch, byte[]? copied, bool verifyCrc, int maxDecompressedBytes)
    {
        RecordBatchHeader header = RecordBatchHeader.Read(batch);
        if (batch.Length < header.TotalSize)
        {
            ProtocolThrow.Truncated(header.TotalSize, batch.Length);
        }

        batch = batch[..header.TotalSize];
        if (verifyCrc && !RecordBatchHeader.IsCrcValid(batch))
        {
            RecordThrow.Corrupt($"Record batch at offset {header.BaseOffset} fails its CRC-32C check.");
        }

        if (header.RecordCount < 0)
        {
            RecordThrow.Corrupt($"Invalid record count {header.RecordCount}.");
        }

        ReadOnlySpan<byte> records = batch[RecordBatchHeader.Size..];
        PooledBufferWriter? decompressed = null;
        if (header.Compression != CompressionType.None)
        {
            ICompressionCodec codec = CompressionCodecs.Get(header.Compression);
            decompressed = new PooledBufferWriter((int)Math.Min(records.Length * 4L, maxDecompressedBytes) + 1);
            try
            {
                codec.Decompress(records, decompressed, maxDecompressedBytes);
            }
            catch
            {
                decompressed.Dispose();
                throw;
            }

            records = decompressed.WrittenSpan;
        }

        bool contiguous;
        try
        {
            contiguous = Validate(records, header);
        }
        catch
        {
            decompressed?.Dispose();
            throw;
        }

        return new RecordBatchReader(header, records, decompressed, copied, contiguous);
    }

    /// <summary>Walks every record once; returns whether offsets are contiguous.</summary>
    private static bool Validate(ReadOnlySpan<byte> records, in RecordBatchHeader header)
    {
        var reader = new RecordSpanReader(records);
        bool contiguous = header.LastOffsetDelta == header.RecordCount - 1;
        int previousDelta = -1;
        for (int i = 0; i < header.RecordCount; i++)
        {
            if (reader.Remaining == 0)
            {
                RecordThrow.Corrupt($"Batch claims {header.RecordCount} record(s) but holds {i}.");
            }

            Record record = RecordParser.Read(ref reader, header);
            if (record.OffsetDelta <= previousDelta || record.OffsetDelta > header.LastOffsetDelta)
            {
                RecordThrow.Corrupt(
                    $"Record offset delta {record.OffsetDelta} is out of order or beyond the last offset delta {header.LastOffsetDelta}.");
            }

            contiguous &= record.OffsetDelta == i;
            previousDelta = record.OffsetDelta;
        }

        if (reader.Remaining != 0)
        {
            RecordThrow.Corrupt($"Batch holds {reader.Remaining} byte(s) after its {header.RecordCount} record(s).");
        }

        return contiguous;
    }

    /// <summary>Yields the records of an opened (already validated) batch.</summary>
    public ref struct Enumerator
    {
        private readonly RecordBatchHeader _header;
        private RecordSpanReader _reader;
        private int _remaining;
        private Record _current;

        internal Enumerator(ReadOnlySpan<byte> records, RecordBatchHeader header)
        {
            _header = header;
            _reader = new RecordSpanReader(records);
            _remaining = header.RecordCount;
            _current = default;
        }

        public readonly Record Current => _current;

        public bool MoveNext()
        {
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            _current = RecordParser.Read(ref _reader, _header);
            return true;
        }
    }
}
