using KafkaSharp.Broker.Groups;

namespace KafkaSharp.Broker.Tests.Groups;

public sealed class GroupPartitionerTests
{
    // Values of java.lang.String.hashCode as the JVM computes them.
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("Aa", 2112)]
    [InlineData("BB", 2112)]
    [InlineData("abc", 96354)]
    [InlineData("hello", 99162322)]
    [InlineData("Hello World", -862545276)]
    [InlineData("polygenelubricants", int.MinValue)]
    [InlineData("é", 233)]
    [InlineData("\U0001F600", 1772899)] // a surrogate pair hashes as two UTF-16 code units
    public void JavaStringHashCodeMatchesJavaWhenGivenString(string value, int expected) =>
        Assert.Equal(expected, GroupPartitioner.JavaStringHashCode(value));

    [Theory]
    [InlineData("hello", 50, 22)] // 99162322 % 50
    [InlineData("Hello World", 50, 26)] // Utils.abs(-862545276) = 862545276 % 50 (x & 0x7fffffff would give 22)
    [InlineData("polygenelubricants", 50, 0)] // Utils.abs(MIN_VALUE) is 0, not MIN_VALUE
    [InlineData("", 50, 0)]
    [InlineData("abc", 7, 6)] // 96354 % 7
    public void PartitionForUsesKafkasAbsAndModuloWhenGivenGroup(string groupId, int partitions, int expected) =>
        Assert.Equal(expected, GroupPartitioner.PartitionFor(groupId, partitions));

    [Theory]
    [InlineData(-5, 5)]
    [InlineData(5, 5)]
    [InlineData(int.MinValue, 0)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void KafkaAbsIsMathAbsExceptMinValueWhenGivenInt(int value, int expected) =>
        Assert.Equal(expected, GroupPartitioner.KafkaAbs(value));
}
