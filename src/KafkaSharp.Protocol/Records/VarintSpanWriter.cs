namespace KafkaSharp.Protocol.Records;

/// <summary>Writes zig-zag varints into a span already sized with <see cref="WireSize"/>.</summary>
internal static class VarintSpanWriter
{
    public static int WriteVarInt(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag.Encode(value));

    public static int WriteVarLong(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag.Encode(value));

    private static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
