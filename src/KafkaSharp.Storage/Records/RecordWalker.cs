using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Records;

/// <summary>
/// Walks the records of an uncompressed magic-2 batch (the bytes after the 61-byte header). Storage only needs
/// keys, tombstones, offset and timestamp deltas; values and headers are skipped. Record layout (KIP-98):
/// <code>
/// length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
/// keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value
/// headerCount varint | headers (keyLength varint, key, valueLength varint, value)...
/// </code>
/// Interim: the records engineer's <c>RecordBatch</c> reader (with decompression) replaces this once it is on main;
/// until then compressed batches cannot be walked by storage.
/// </summary>
internal ref struct RecordWalker
{
    private readonly ReadOnlySpan<byte> _records;
    private int _position;
    private int _remaining;

    public RecordWalker(ReadOnlySpan<byte> records, int count)
    {
        _records = records;
        _remaining = count;
    }

    public RecordView Current { get; private set; }

    /// <summary>Bytes not consumed by the records walked so far; non-zero at the end means trailing garbage.</summary>
    public readonly int TrailingBytes => _records.Length - _position;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        int start = _position;
        int length = checked((int)ReadVarLong());
        if (length < 0 || length > _records.Length - _position)
        {
            ProtocolThrow.Malformed($"Record length {length} exceeds the batch.");
        }

        int end = _position + length;
        _position++; // attributes
        long timestampDelta = ReadVarLong();
        int offsetDelta = checked((int)ReadVarLong());
        int keyLength = checked((int)ReadVarLong());
        ReadOnlySpan<byte> key = default;
        if (keyLength >= 0)
        {
            key = Take(keyLength);
        }

        int valueLength = checked((int)ReadVarLong());
        if (valueLength > 0)
        {
            Take(valueLength);
        }

        if (_position > end)
        {
            ProtocolThrow.Malformed("Record fields overrun its length.");
        }

        _position = end;
        Current = new RecordView(_records[start..end], offsetDelta, timestampDelta, key, keyLength >= 0, valueLength >= 0);
        return true;
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _records.Length - _position)
        {
            ProtocolThrow.Truncated(length, _records.Length - _position);
        }

        ReadOnlySpan<byte> slice = _records.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>Zig-zag varint of up to 10 bytes.</summary>
    private long ReadVarLong()
    {
        ulong raw = 0;
        int shift = 0;
        while (true)
        {
            if (_position >= _records.Length)
            {
                ProtocolThrow.Truncated(1, 0);
            }

            byte b = _records[_position++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                ProtocolThrow.Malformed("Varint longer than 10 bytes.");
            }
        }

        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public static bool IsUncompressed(in RecordBatchHeader header) => header.Compression == CompressionType.None;
}
