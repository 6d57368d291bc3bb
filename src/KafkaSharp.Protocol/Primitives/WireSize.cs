using System.Numerics;
using System.Text;

namespace KafkaSharp.Protocol;

/// <summary>Encoded sizes of the wire primitives, so a message's size is known before it is written once.</summary>
public static class WireSize
{
    public static int UnsignedVarInt(uint value) => (32 - BitOperations.LeadingZeroCount(value | 1) + 6) / 7;

    public static int VarInt(int value) => UnsignedVarInt(ZigZag.Encode(value));

    public static int UnsignedVarLong(ulong value) => (64 - BitOperations.LeadingZeroCount(value | 1) + 6) / 7;

    public static int VarLong(long value) => UnsignedVarLong(ZigZag.Encode(value));

    public static int Utf8(string value) => Encoding.UTF8.GetByteCount(value);

    /// <summary>int16 length + bytes; null is the length alone.</summary>
    public static int String(string? value) => 2 + (value is null ? 0 : Utf8(value));

    /// <summary>unsigned varint (length + 1) + bytes; null is a single zero byte.</summary>
    public static int CompactString(string? value)
    {
        if (value is null)
        {
            return 1;
        }

        int length = Utf8(value);
        return UnsignedVarInt((uint)length + 1) + length;
    }

    public static int Bytes(int? length) => 4 + (length ?? 0);

    public static int CompactBytes(int? length) =>
        length is int n ? UnsignedVarInt((uint)n + 1) + n : 1;

    public const int ArrayLength = 4;

    public static int CompactArrayLength(int? count) => count is int n ? UnsignedVarInt((uint)n + 1) : 1;
}

/// <summary>Zig-zag encoding of signed varints, as Protocol Buffers and Kafka's record format use it.</summary>
public static class ZigZag
{
    public static uint Encode(int value) => (uint)((value << 1) ^ (value >> 31));

    public static ulong Encode(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int Decode(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    public static long Decode(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
