using System.Runtime.CompilerServices;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Reads the varint-based fields of magic-2 records from one span. Every read is bounds-checked and fails
/// with <see cref="CorruptRecordException"/>, never an index error.
/// </summary>
internal ref struct RecordSpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public sbyte ReadInt8()
    {
        if (_position >= _data.Length)
        {
            RecordThrow.Overrun("A record field", 1, 0);
        }

        return (sbyte)_data[_position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadVarInt()
    {
        // Fast path for the common one-byte varint.
        if (_position < _data.Length && _data[_position] < 0x80)
        {
            uint single = _data[_position++];
            return (int)(single >> 1) ^ -(int)(single & 1);
        }

        return ReadVarIntSlow();
    }

    public long ReadVarLong()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                RecordThrow.Overrun("A varlong", 1, 0);
            }

            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return ZigZag.Decode(value);
            }
        }

        RecordThrow.Corrupt("Varlong is longer than 10 bytes.");
        return 0;
    }

    /// <summary>
    /// A varint length followed by that many bytes. Writers use -1 for null; like Kafka's DefaultRecord, any
    /// negative length reads as null rather than as an error.
    /// </summary>
    public ReadOnlySpan<byte> ReadNullableBytes(string what, out bool isNull)
    {
        int length = ReadVarInt();
        if (length < 0)
        {
            isNull = true;
            return default;
        }

        isNull = false;
        return ReadBytes(what, length);
    }

    public ReadOnlySpan<byte> ReadBytes(string what, int length)
    {
        if ((uint)length > (uint)Remaining)
        {
            RecordThrow.Overrun(what, length, Remaining);
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    private int ReadVarIntSlow()
    {
        uint value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (_position >= _data.Length)
            {
                RecordThrow.Overrun("A varint", 1, 0);
            }

            byte b = _data[_position++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return ZigZag.Decode(value);
            }
        }

        RecordThrow.Corrupt("Varint is longer than 5 bytes.");
        return 0;
    }
}
