using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Splits a records field (several batches or legacy messages back to back) into entries without copying.
/// Each entry's size field is checked against a minimum and against what remains.
/// <para>
/// A fetch response may end with a partial batch, cut where the broker hit its byte limit. With
/// allowPartialTail that tail ends the iteration and is reported through <see cref="PartialTailLength"/>;
/// without it (a produce request) it throws.
/// </para>
/// </summary>
public ref struct RecordSetReader
{
    /// <summary>Smallest size field of any entry: a magic-0 message (crc, magic, attributes, two lengths).</summary>
    public const int MinEntrySize = LegacyMessage.HeaderSizeV0;

    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _allowPartialTail;
    private int _position;

    public RecordSetReader(ReadOnlySpan<byte> records, bool allowPartialTail = false)
    {
        _data = records;
        _allowPartialTail = allowPartialTail;
        _position = 0;
        PartialTailLength = 0;
    }

    /// <summary>Bytes of an incomplete trailing entry (0 if none); only set with allowPartialTail.</summary>
    public int PartialTailLength { get; private set; }

    public readonly bool HasPartialTail => PartialTailLength > 0;

    /// <summary>Bytes consumed by complete entries so far.</summary>
    public readonly int Consumed => _position;

    /// <summary>Moves to the next whole entry; false at the end (or at a partial tail, when allowed).</summary>
    public bool TryReadNext(out RecordSetEntry entry)
    {
        entry = default;
        int remaining = _data.Length - _position;
        if (remaining == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = _data[_position..];
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            return PartialTail(remaining, RecordBatchHeader.LogOverhead);
        }

        int size = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.LengthOffset..]);
        if (size < MinEntrySize)
        {
            RecordThrow.Corrupt($"Record set entry size {size} is smaller than the minimum {MinEntrySize}.");
        }

        if (size > remaining - RecordBatchHeader.LogOverhead)
        {
            return PartialTail(remaining, (long)size + RecordBatchHeader.LogOverhead);
        }

        int total = size + RecordBatchHeader.LogOverhead;
        byte magic = rest[RecordBatchHeader.MagicOffset];
        if (magic > RecordBatchHeader.CurrentMagic)
        {
            RecordThrow.Corrupt($"Unknown record magic {magic}.");
        }

        if (magic == RecordBatchHeader.CurrentMagic && size < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            RecordThrow.Corrupt($"Record batch size {size} is smaller than the batch header.");
        }

        entry = new RecordSetEntry(rest[..total]);
        _position += total;
        return true;
    }

    private bool PartialTail(int remaining, long needed)
    {
        if (!_allowPartialTail)
        {
            ProtocolThrow.Truncated(needed, remaining);
        }

        PartialTailLength = remaining;
        return false;
    }
}
