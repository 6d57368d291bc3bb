using KafkaSharp.Broker.Topics;

namespace KafkaSharp.Broker.Tests.Cluster;

public sealed class TopicNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("A-z_0.9")]
    [InlineData("__consumer_offsets")]
    public void Validate_ReturnsNull_WhenTheNameIsLegal(string name) => Assert.Null(TopicNames.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("with space")]
    [InlineData("slash/")]
    [InlineData("ünicode")]
    public void Validate_ReturnsTheReason_WhenTheNameIsIllegal(string name) => Assert.NotNull(TopicNames.Validate(name));

    [Fact]
    public void Validate_EnforcesTheLengthLimit_WhenTheNameIsLong()
    {
        Assert.Null(TopicNames.Validate(new string('a', 249)));
        Assert.Contains("249", TopicNames.Validate(new string('a', 250)), StringComparison.Ordinal);
    }

    [Fact]
    public void Collide_IsTrue_WhenNamesDifferOnlyByDotAndUnderscore()
    {
        Assert.True(TopicNames.Collide("a.b", "a_b"));
        Assert.False(TopicNames.Collide("a.b", "a-b"));
    }
}
