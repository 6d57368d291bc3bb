namespace KafkaSharp.Protocol.Tests.Primitives;

public class ZigZagTests
{
    [Theory]
    [InlineData(0, 0u)]
    [InlineData(-1, 1u)]
    [InlineData(1, 2u)]
    [InlineData(-2, 3u)]
    [InlineData(2, 4u)]
    [InlineData(int.MaxValue, 0xFFFFFFFEu)]
    [InlineData(int.MinValue, 0xFFFFFFFFu)]
    public void EncodeInterleavesSignsWhenValueIsInt32(int value, uint encoded)
    {
        Assert.Equal(encoded, ZigZag.Encode(value));
        Assert.Equal(value, ZigZag.Decode(encoded));
    }

    [Theory]
    [InlineData(0L, 0UL)]
    [InlineData(-1L, 1UL)]
    [InlineData(1L, 2UL)]
    [InlineData(long.MaxValue, 0xFFFFFFFFFFFFFFFEUL)]
    [InlineData(long.MinValue, 0xFFFFFFFFFFFFFFFFUL)]
    public void EncodeInterleavesSignsWhenValueIsInt64(long value, ulong encoded)
    {
        Assert.Equal(encoded, ZigZag.Encode(value));
        Assert.Equal(value, ZigZag.Decode(encoded));
    }
}
