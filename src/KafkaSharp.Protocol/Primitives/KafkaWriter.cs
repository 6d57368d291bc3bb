using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace KafkaSharp.Protocol;

/// <summary>
/// Writes Kafka's wire primitives to an <see cref="IBufferWriter{T}"/>. It keeps the span it was last given
/// and advances the underlying writer in one step on <see cref="Flush"/> (or when it needs a new span), so a
/// message costs a handful of interface calls rather than one per field. Call <see cref="Flush"/> when done.
/// </summary>
public ref struct KafkaWriter
{
    private const int MinimumSpan = 256;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private long _flushed;

    public KafkaWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
        _flushed = 0;
    }

    /// <summary>Bytes written through this writer, flushed or not.</summary>
    public readonly long BytesWritten => _flushed + _buffered;

    /// <summary>Commits everything written so far to the underlying buffer writer.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _flushed += _buffered;
            _buffered = 0;
        }

        _span = default;
    }

    public void WriteInt8(sbyte value) => Reserve(1)[0] = (byte)value;

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteBool(bool value) => Reserve(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public void WriteFloat64(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Reserve(16), bigEndian: true, out _))
        {
            ProtocolThrow.Malformed("Could not write a UUID.");
        }
    }

    public void WriteUnsignedVarInt(uint value)
    {
        Span<byte> span = Reserve(WireSize.UnsignedVarInt(value));
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i] = (byte)value;
    }

    public void WriteUnsignedVarLong(ulong value)
    {
        Span<byte> span = Reserve(WireSize.UnsignedVarLong(value));
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i] = (byte)value;
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt(ZigZag.Encode(value));

    public void WriteVarLong(long value) => WriteUnsignedVarLong(ZigZag.Encode(value));

    public void WriteString(string value) => WriteNullableString(value ?? throw new KafkaProtocolException("Non-nullable string is null."));

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            ProtocolThrow.Malformed($"String of {length} bytes is longer than {short.MaxValue}.");
        }

        WriteInt16((short)length);
        WriteUtf8(value, length);
    }

    public void WriteCompactString(string value) => WriteCompactNullableString(value ?? throw new KafkaProtocolException("Non-nullable compact string is null."));

    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            ProtocolThrow.Malformed($"Compact string of {length} bytes is longer than {short.MaxValue}.");
        }

        WriteUnsignedVarInt((uint)length + 1);
        WriteUtf8(value, length);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteRaw(value);
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteBytes(value);
    }

    public void WriteCompactBytes(ReadOnlySpan<byte> value)
    {
        WriteUnsignedVarInt((uint)value.Length + 1);
        WriteRaw(value);
    }

    public void WriteCompactNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        WriteCompactBytes(value);
    }

    /// <summary>A records field with an int32 length; null is -1.</summary>
    public void WriteRecords(in ReadOnlySequence<byte>? records)
    {
        if (records is not { } value)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(checked((int)value.Length));
        WriteRaw(value);
    }

    /// <summary>A records field with an unsigned varint (length + 1); null is 0.</summary>
    public void WriteCompactRecords(in ReadOnlySequence<byte>? records)
    {
        if (records is not { } value)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        WriteUnsignedVarInt(checked((uint)value.Length + 1));
        WriteRaw(value);
    }

    public void WriteArrayLength(int count) => WriteInt32(count);

    /// <summary>Compact array length: count + 1, or 0 for null (count -1).</summary>
    public void WriteCompactArrayLength(int count) => WriteUnsignedVarInt((uint)(count + 1));

    public void WriteRawTaggedField(RawTaggedField field)
    {
        WriteUnsignedVarInt((uint)field.Tag);
        WriteUnsignedVarInt((uint)field.Data.Length);
        WriteRaw(field.Data);
    }

    /// <summary>Copies bytes as they are, with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        if (value.Length <= _span.Length - _buffered)
        {
            value.CopyTo(_span[_buffered..]);
            _buffered += value.Length;
            return;
        }

        Flush();
        _output.Write(value);
        _flushed += value.Length;
    }

    public void WriteRaw(in ReadOnlySequence<byte> value)
    {
        foreach (ReadOnlyMemory<byte> segment in value)
        {
            WriteRaw(segment.Span);
        }
    }

    /// <summary>
    /// Reserves <paramref name="length"/> bytes for the caller to fill. Fill them before the next write: a later
    /// write may move the underlying buffer and leave this span pointing at the old one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int length)
    {
        if (_span.Length - _buffered < length)
        {
            Grow(length);
        }

        Span<byte> slot = _span.Slice(_buffered, length);
        _buffered += length;
        return slot;
    }

    private void WriteUtf8(string value, int length)
    {
        if (length <= 1024)
        {
            Encoding.UTF8.GetBytes(value, Reserve(length));
            return;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        int written = Encoding.UTF8.GetBytes(value, rented);
        WriteRaw(rented.AsSpan(0, written));
        ArrayPool<byte>.Shared.Return(rented);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int length)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(length, MinimumSpan));
    }
}
