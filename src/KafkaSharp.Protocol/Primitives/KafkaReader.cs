using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace KafkaSharp.Protocol;

/// <summary>
/// Reads Kafka's wire primitives from a <see cref="ReadOnlySequence{T}"/> that holds one complete frame (or one
/// part of it). Every read first tries the current segment as a span; only a value that straddles two segments
/// takes the slow path. Every length and count is checked against the bytes that remain before anything is
/// allocated, so a hostile length field can neither over-read nor size an allocation.
/// </summary>
public ref struct KafkaReader
{
    private SequenceReader<byte> _reader;

    public KafkaReader(ReadOnlySequence<byte> buffer) => _reader = new SequenceReader<byte>(buffer);

    public KafkaReader(ReadOnlyMemory<byte> buffer) => _reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));

    /// <summary>Bytes not yet read.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>Bytes read so far.</summary>
    public readonly long Consumed => _reader.Consumed;

    public readonly bool End => _reader.End;

    /// <summary>The unread part of the buffer.</summary>
    public readonly ReadOnlySequence<byte> UnreadSequence => _reader.UnreadSequence;

    public sbyte ReadInt8()
    {
        if (!_reader.TryRead(out byte value))
        {
            ProtocolThrow.Truncated(1, 0);
        }

        return (sbyte)value;
    }

    public byte ReadUInt8() => (byte)ReadInt8();

    public bool ReadBool() => ReadInt8() != 0;

    public short ReadInt16()
    {
        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        if (span.Length >= 2)
        {
            _reader.Advance(2);
            return BinaryPrimitives.ReadInt16BigEndian(span);
        }

        Span<byte> tmp = stackalloc byte[2];
        CopySlow(tmp);
        return BinaryPrimitives.ReadInt16BigEndian(tmp);
    }

    public ushort ReadUInt16() => (ushort)ReadInt16();

    public int ReadInt32()
    {
        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        if (span.Length >= 4)
        {
            _reader.Advance(4);
            return BinaryPrimitives.ReadInt32BigEndian(span);
        }

        Span<byte> tmp = stackalloc byte[4];
        CopySlow(tmp);
        return BinaryPrimitives.ReadInt32BigEndian(tmp);
    }

    public uint ReadUInt32() => (uint)ReadInt32();

    public long ReadInt64()
    {
        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        if (span.Length >= 8)
        {
            _reader.Advance(8);
            return BinaryPrimitives.ReadInt64BigEndian(span);
        }

        Span<byte> tmp = stackalloc byte[8];
        CopySlow(tmp);
        return BinaryPrimitives.ReadInt64BigEndian(tmp);
    }

    public double ReadFloat64() => BitConverter.Int64BitsToDouble(ReadInt64());

    /// <summary>A UUID as Kafka writes it: 16 bytes, most significant first.</summary>
    public Guid ReadUuid()
    {
        Span<byte> tmp = stackalloc byte[16];
        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        if (span.Length >= 16)
        {
            _reader.Advance(16);
            return new Guid(span[..16], bigEndian: true);
        }

        CopySlow(tmp);
        return new Guid(tmp, bigEndian: true);
    }

    /// <summary>Unsigned LEB128 of at most 5 bytes, as Kafka's ByteUtils.readUnsignedVarint.</summary>
    public uint ReadUnsignedVarInt()
    {
        uint value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (!_reader.TryRead(out byte b))
            {
                ProtocolThrow.Truncated(1, 0);
            }

            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        ProtocolThrow.Malformed("Varint is longer than 5 bytes.");
        return 0;
    }

    public ulong ReadUnsignedVarLong()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (!_reader.TryRead(out byte b))
            {
                ProtocolThrow.Truncated(1, 0);
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        ProtocolThrow.Malformed("Varlong is longer than 10 bytes.");
        return 0;
    }

    /// <summary>Zig-zag signed varint.</summary>
    public int ReadVarInt() => ZigZag.Decode(ReadUnsignedVarInt());

    /// <summary>Zig-zag signed varlong.</summary>
    public long ReadVarLong() => ZigZag.Decode(ReadUnsignedVarLong());

    public string ReadString()
    {
        short length = ReadInt16();
        if (length < 0)
        {
            ProtocolThrow.Malformed("Non-nullable string has a null length.");
        }

        return ReadUtf8(length);
    }

    public string? ReadNullableString()
    {
        short length = ReadInt16();
        if (length < -1)
        {
            ProtocolThrow.BadLength("string", length, Remaining);
        }

        return length == -1 ? null : ReadUtf8(length);
    }

    public string ReadCompactString() =>
        ReadCompactNullableString() ?? throw new KafkaProtocolException("Non-nullable compact string is null.");

    public string? ReadCompactNullableString()
    {
        int length = ReadCompactLength("compact string");
        if (length > short.MaxValue)
        {
            // Kafka caps every string field at 0x7fff bytes, compact or not, and rejects longer ones on read.
            ProtocolThrow.Malformed($"Compact string of {length} bytes is longer than {short.MaxValue}.");
        }

        return length < 0 ? null : ReadUtf8(length);
    }

    public byte[] ReadBytes() =>
        ReadNullableBytes() ?? throw new KafkaProtocolException("Non-nullable bytes field is null.");

    public byte[]? ReadNullableBytes()
    {
        int length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        CheckLength("bytes", length);
        return ReadByteArray(length);
    }

    public byte[] ReadCompactBytes() =>
        ReadCompactNullableBytes() ?? throw new KafkaProtocolException("Non-nullable compact bytes field is null.");

    public byte[]? ReadCompactNullableBytes()
    {
        int length = ReadCompactLength("compact bytes");
        return length < 0 ? null : ReadByteArray(length);
    }

    /// <summary>A records field (int32 length) as a slice of the input: no copy, valid as long as the input is.</summary>
    public ReadOnlySequence<byte>? ReadRecords()
    {
        int length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        CheckLength("records", length);
        return ReadSlice(length);
    }

    /// <summary>A records field in a flexible version (unsigned varint length + 1), as a slice of the input.</summary>
    public ReadOnlySequence<byte>? ReadCompactRecords()
    {
        int length = ReadCompactLength("compact records");
        return length < 0 ? null : ReadSlice(length);
    }

    /// <summary>
    /// An int32 array length: -1 is null. A count larger than the bytes that remain is rejected here, since every
    /// element takes at least one byte; this also keeps an attacker's count from sizing a list.
    /// </summary>
    public int ReadArrayLength()
    {
        int count = ReadInt32();
        if (count < -1 || count > Remaining)
        {
            ProtocolThrow.BadLength("array", count, Remaining);
        }

        return count;
    }

    /// <summary>An unsigned varint (count + 1) array length: -1 is null.</summary>
    public int ReadCompactArrayLength() => ReadCompactLength("compact array");

    /// <summary>Returns the next <paramref name="length"/> bytes as a slice of the input and moves past them.</summary>
    public ReadOnlySequence<byte> ReadSlice(long length)
    {
        CheckLength("slice", length);
        ReadOnlySequence<byte> slice = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return slice;
    }

    /// <summary>A reader limited to the next <paramref name="length"/> bytes; this reader moves past them.</summary>
    public KafkaReader ReadSubReader(long length) => new(ReadSlice(length));

    public void Skip(long length)
    {
        CheckLength("skip", length);
        _reader.Advance(length);
    }

    /// <summary>Copies exactly <paramref name="destination"/>.Length bytes.</summary>
    public void ReadExactly(scoped Span<byte> destination)
    {
        if (!_reader.TryCopyTo(destination))
        {
            ProtocolThrow.Truncated(destination.Length, Remaining);
        }

        _reader.Advance(destination.Length);
    }

    /// <summary>Reads an unknown tagged field's payload so it can be written back unchanged.</summary>
    public RawTaggedField ReadRawTaggedField(int tag, int size)
    {
        CheckLength("tagged field", size);
        return new RawTaggedField(tag, ReadByteArray(size));
    }

    private int ReadCompactLength(string what)
    {
        uint encoded = ReadUnsignedVarInt();
        if (encoded == 0)
        {
            return -1;
        }

        long length = (long)encoded - 1;
        CheckLength(what, length);
        return (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CheckLength(string what, long length)
    {
        if ((ulong)length > (ulong)_reader.Remaining)
        {
            ProtocolThrow.BadLength(what, length, _reader.Remaining);
        }
    }

    private string ReadUtf8(int length)
    {
        CheckLength("string", length);
        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        string value;
        if (span.Length >= length)
        {
            value = Encoding.UTF8.GetString(span[..length]);
        }
        else
        {
            value = Encoding.UTF8.GetString(_reader.UnreadSequence.Slice(0, length));
        }

        _reader.Advance(length);
        return value;
    }

    private byte[] ReadByteArray(int length)
    {
        CheckLength("bytes", length);
        byte[] value = length == 0 ? [] : new byte[length];
        _reader.TryCopyTo(value);
        _reader.Advance(length);
        return value;
    }

    private void CopySlow(scoped Span<byte> destination)
    {
        if (!_reader.TryCopyTo(destination))
        {
            ProtocolThrow.Truncated(destination.Length, _reader.Remaining);
        }

        _reader.Advance(destination.Length);
    }
}
