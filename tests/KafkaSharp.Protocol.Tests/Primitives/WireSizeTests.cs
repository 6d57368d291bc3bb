namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>WireSize must agree byte for byte with KafkaWriter: messages are sized once and written once.</summary>
public class WireSizeTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("topic")]
    [InlineData("\u00e9\u20ac\U0001F511")]
    public void StringEqualsBytesWrittenWhenValueIsAnyString(string? value)
    {
        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteNullableString(value)).Length, WireSize.String(value));
        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteCompactNullableString(value)).Length, WireSize.CompactString(value));
    }

    [Theory]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(16382)]
    [InlineData(16383)]
    public void CompactStringGrowsLengthPrefixWhenLengthPlusOneCrossesSevenBits(int length)
    {
        // The prefix holds length + 1, so the second prefix byte appears at 127 characters, not 128.
        string value = new('s', length);

        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteCompactString(value)).Length, WireSize.CompactString(value));
        Assert.Equal(WireSize.UnsignedVarInt((uint)length + 1) + length, WireSize.CompactString(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(300)]
    public void BytesEqualsBytesWrittenWhenLengthIsNullOrAny(int? length)
    {
        byte[]? value = length is int n ? new byte[n] : null;

        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteNullableBytes(value)).Length, WireSize.Bytes(length));
        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteCompactNullableBytes(value)).Length, WireSize.CompactBytes(length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(100_000)]
    public void ArrayLengthEqualsBytesWrittenWhenCountIsNullOrAny(int? count)
    {
        int wireCount = count ?? -1;

        Assert.Equal(WireSize.ArrayLength, Bytes.Written((ref KafkaWriter w) => w.WriteArrayLength(wireCount)).Length);
        Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteCompactArrayLength(wireCount)).Length, WireSize.CompactArrayLength(count));
    }

    [Fact]
    public void UnsignedVarIntEqualsBytesWrittenWhenValueIsEveryPowerOfTwoNeighbour()
    {
        for (int bit = 0; bit < 32; bit++)
        {
            foreach (uint value in new[] { (1u << bit) - 1, 1u << bit, (1u << bit) + 1 })
            {
                Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarInt(value)).Length, WireSize.UnsignedVarInt(value));
            }
        }
    }

    [Fact]
    public void UnsignedVarLongEqualsBytesWrittenWhenValueIsEveryPowerOfTwoNeighbour()
    {
        for (int bit = 0; bit < 64; bit++)
        {
            foreach (ulong value in new[] { (1UL << bit) - 1, 1UL << bit, (1UL << bit) + 1 })
            {
                Assert.Equal(Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarLong(value)).Length, WireSize.UnsignedVarLong(value));
            }
        }
    }
}
