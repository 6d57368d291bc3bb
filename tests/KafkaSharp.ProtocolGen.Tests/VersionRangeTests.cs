using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Tests;

public sealed class VersionRangeTests
{
    [Theory]
    [InlineData("0+", 0, short.MaxValue)]
    [InlineData("12+", 12, short.MaxValue)]
    [InlineData("3-7", 3, 7)]
    [InlineData("5", 5, 5)]
    [InlineData(" 2-2 ", 2, 2)]
    public void TryParseReturnsRangeWhenTextIsKafkaSyntax(string text, short lowest, short highest)
    {
        Assert.True(VersionRange.TryParse(text, out VersionRange range));
        Assert.Equal(new VersionRange(lowest, highest), range);
    }

    [Fact]
    public void TryParseReturnsEmptyRangeWhenTextIsNone()
    {
        Assert.True(VersionRange.TryParse("none", out VersionRange range));
        Assert.True(range.IsEmpty);
        Assert.False(range.Contains(0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("-1")]
    [InlineData("7-3")]
    [InlineData("1-")]
    [InlineData("a+")]
    [InlineData("1.5")]
    [InlineData("0-+")]
    [InlineData("40000")]
    [InlineData("None")]
    public void TryParseReturnsFalseWhenTextIsNotAVersionRange(string text) =>
        Assert.False(VersionRange.TryParse(text, out _));

    [Fact]
    public void IntersectReturnsOverlapWhenRangesOverlap()
    {
        Assert.Equal(new VersionRange(3, 7), new VersionRange(0, 7).Intersect(new VersionRange(3, short.MaxValue)));
        Assert.True(new VersionRange(0, 2).Intersect(new VersionRange(3, 5)).IsEmpty);
    }

    [Fact]
    public void CoversReturnsTrueWhenEveryVersionIsInside()
    {
        Assert.True(VersionRange.All.Covers(new VersionRange(4, 9)));
        Assert.False(new VersionRange(5, short.MaxValue).Covers(new VersionRange(4, 9)));
        Assert.True(new VersionRange(5, 6).Covers(VersionRange.None));
    }

    [Theory]
    [InlineData("0+")]
    [InlineData("3-7")]
    [InlineData("5")]
    [InlineData("none")]
    public void ToStringReturnsKafkaSyntaxWhenFormatted(string text)
    {
        Assert.True(VersionRange.TryParse(text, out VersionRange range));
        Assert.Equal(text, range.ToString());
    }
}
