using System.Buffers;
using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// <see cref="RecordSetReader"/> over a <see cref="ReadOnlySequence{T}"/>, as a request parser hands out a
/// records field: entries come back as slices of the sequence, never copied. Open each with
/// <see cref="RecordBatchReader.Open(in ReadOnlySequence{byte}, bool, int)"/>, which copies only an entry that
/// spans segments.
/// </summary>
public struct RecordSetSequenceReader
{
    private readonly bool _allowPartialTail;
    private ReadOnlySequence<byte> _rest;

    public RecordSetSequenceReader(ReadOnlySequence<byte> records, bool allowPartialTail = false)
    {
        _rest = records;
        _allowPartialTail = allowPartialTail;
        PartialTailLength = 0;
    }

    /// <summary>Bytes of an incomplete trailing entry (0 if none); only set with allowPartialTail.</summary>
    public long PartialTailLength { get; private set; }

    public readonly bool HasPartialTail => PartialTailLength > 0;

    public bool TryReadNext(out ReadOnlySequence<byte> entry, out byte magic)
    {
        entry = default;
        magic = 0;
        long remaining = _rest.Length;
        if (remaining == 0)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[RecordBatchHeader.MagicOffset + 1];
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            return PartialTail(remaining, RecordBatchHeader.LogOverhead);
        }

        _rest.Slice(0, Math.Min(remaining, prefix.Length)).CopyTo(prefix);
        int size = BinaryPrimitives.ReadInt32BigEndian(prefix[RecordBatchHeader.LengthOffset..]);
        if (size < RecordSetReader.MinEntrySize)
        {
            RecordThrow.Corrupt($"Record set entry size {size} is smaller than the minimum {RecordSetReader.MinEntrySize}.");
        }

        if (size > remaining - RecordBatchHeader.LogOverhead)
        {
            return PartialTail(remaining, (long)size + RecordBatchHeader.LogOverhead);
        }

        magic = prefix[RecordBatchHeader.MagicOffset];
        if (magic > RecordBatchHeader.CurrentMagic)
        {
            RecordThrow.Corrupt($"Unknown record magic {magic}.");
        }

        if (magic == RecordBatchHeader.CurrentMagic && size < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            RecordThrow.Corrupt($"Record batch size {size} is smaller than the batch header.");
        }

        long total = (long)size + RecordBatchHeader.LogOverhead;
        entry = _rest.Slice(0, total);
        _rest = _rest.Slice(total);
        return true;
    }

    private bool PartialTail(long remaining, long needed)
    {
        if (!_allowPartialTail)
        {
            ProtocolThrow.Truncated(needed, remaining);
        }

        PartialTailLength = remaining;
        _rest = default;
        return false;
    }
}
