namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>
/// Varints against bytes written out by hand from the documented encoding (the protocol guide points to
/// Protocol Buffers: little-endian groups of 7 bits, high bit set on every byte but the last; signed values
/// zig-zag first). Each boundary of a 7-bit group is covered from both sides, so an off-by-one in the length
/// computation or the shift shows up as a concrete byte mismatch rather than only as a failed round trip.
/// </summary>
public class VarIntEncodingTests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(1u, "01")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "80 01")]
    [InlineData(300u, "AC 02")]
    [InlineData(16383u, "FF 7F")]
    [InlineData(16384u, "80 80 01")]
    [InlineData(2097151u, "FF FF 7F")]
    [InlineData(2097152u, "80 80 80 01")]
    [InlineData(268435455u, "FF FF FF 7F")]
    [InlineData(268435456u, "80 80 80 80 01")]
    [InlineData(2147483647u, "FF FF FF FF 07")]
    [InlineData(2147483648u, "80 80 80 80 08")]
    [InlineData(4294967295u, "FF FF FF FF 0F")]
    public void WriteUnsignedVarIntProducesDocumentedBytesWhenValueIsOnGroupBoundary(uint value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);

        byte[] written = Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarInt(value));

        Assert.Equal(expected, written);
        Assert.Equal(expected.Length, WireSize.UnsignedVarInt(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadUnsignedVarInt());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(-1, "01")]
    [InlineData(1, "02")]
    [InlineData(63, "7E")]
    [InlineData(-64, "7F")]
    [InlineData(64, "80 01")]
    [InlineData(-65, "81 01")]
    [InlineData(8191, "FE 7F")]
    [InlineData(-8192, "FF 7F")]
    [InlineData(8192, "80 80 01")]
    [InlineData(-8193, "81 80 01")]
    [InlineData(1048575, "FE FF 7F")]
    [InlineData(-1048576, "FF FF 7F")]
    [InlineData(1048576, "80 80 80 01")]
    [InlineData(134217727, "FE FF FF 7F")]
    [InlineData(134217728, "80 80 80 80 01")]
    [InlineData(-134217729, "81 80 80 80 01")]
    [InlineData(int.MaxValue, "FE FF FF FF 0F")]
    [InlineData(int.MinValue, "FF FF FF FF 0F")]
    public void WriteVarIntProducesZigZagBytesWhenValueIsSigned(int value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);

        byte[] written = Bytes.Written((ref KafkaWriter w) => w.WriteVarInt(value));

        Assert.Equal(expected, written);
        Assert.Equal(expected.Length, WireSize.VarInt(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadVarInt());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-64L, "7F")]
    [InlineData(64L, "80 01")]
    [InlineData(int.MaxValue, "FE FF FF FF 0F")]
    [InlineData(int.MinValue, "FF FF FF FF 0F")]
    [InlineData(2147483648L, "80 80 80 80 10")]
    [InlineData(36028797018963967L, "FE FF FF FF FF FF FF 7F")]
    [InlineData(36028797018963968L, "80 80 80 80 80 80 80 80 01")]
    [InlineData(long.MaxValue, "FE FF FF FF FF FF FF FF FF 01")]
    [InlineData(long.MinValue, "FF FF FF FF FF FF FF FF FF 01")]
    public void WriteVarLongProducesZigZagBytesWhenValueIsSigned(long value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);

        byte[] written = Bytes.Written((ref KafkaWriter w) => w.WriteVarLong(value));

        Assert.Equal(expected, written);
        Assert.Equal(expected.Length, WireSize.VarLong(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadVarLong());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "80 01")]
    [InlineData(4294967295UL, "FF FF FF FF 0F")]
    [InlineData(4294967296UL, "80 80 80 80 10")]
    [InlineData(9223372036854775807UL, "FF FF FF FF FF FF FF FF 7F")]
    [InlineData(9223372036854775808UL, "80 80 80 80 80 80 80 80 80 01")]
    [InlineData(18446744073709551615UL, "FF FF FF FF FF FF FF FF FF 01")]
    public void WriteUnsignedVarLongProducesDocumentedBytesWhenValueIsOnGroupBoundary(ulong value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);

        byte[] written = Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarLong(value));

        Assert.Equal(expected, written);
        Assert.Equal(expected.Length, WireSize.UnsignedVarLong(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadUnsignedVarLong());
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadUnsignedVarIntAcceptsPaddedEncodingWhenGroupsAreRedundant()
    {
        // Kafka's decoder does not insist on the shortest form (ByteUtils.readUnsignedVarint only caps the
        // length), so a client that pads a varint must still be understood.
        var reader = new KafkaReader(Bytes.Hex("80 80 00"));

        Assert.Equal(0u, reader.ReadUnsignedVarInt());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("80 80 80 80 80 01")]
    [InlineData("FF FF FF FF FF 0F")]
    public void ReadUnsignedVarIntThrowsWhenLongerThanFiveBytes(string hex)
    {
        byte[] data = Bytes.Hex(hex);

        var error = Assert.Throws<KafkaProtocolException>(() => new KafkaReader(data).ReadUnsignedVarInt());

        Assert.Contains("longer than 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadUnsignedVarLongThrowsWhenLongerThanTenBytes()
    {
        byte[] data = Bytes.Hex("80 80 80 80 80 80 80 80 80 80 01");

        var error = Assert.Throws<KafkaProtocolException>(() => new KafkaReader(data).ReadUnsignedVarLong());

        Assert.Contains("longer than 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FF FF FF FF")]
    public void ReadVarIntThrowsWhenInputEndsMidValue(string hex)
    {
        byte[] data = Bytes.Hex(hex);

        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(data).ReadVarInt());
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(data).ReadVarLong());
    }
}
