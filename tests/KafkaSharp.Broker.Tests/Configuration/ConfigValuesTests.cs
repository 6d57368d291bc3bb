using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

public class ConfigValuesTests
{
    [Theory]
    [InlineData(ConfigType.Int, " +42 ", 42)]
    [InlineData(ConfigType.Int, "-7", -7)]
    [InlineData(ConfigType.Short, "32767", (short)32767)]
    [InlineData(ConfigType.Long, "9223372036854775807", long.MaxValue)]
    [InlineData(ConfigType.Double, "0.5", 0.5)]
    [InlineData(ConfigType.Double, "1e3", 1000.0)]
    [InlineData(ConfigType.Double, "0.25d", 0.25)]
    [InlineData(ConfigType.Boolean, "True", true)]
    [InlineData(ConfigType.Boolean, " false ", false)]
    [InlineData(ConfigType.String, "  padded  ", "padded")]
    [InlineData(ConfigType.Password, " secret ", "secret")]
    [InlineData(ConfigType.Class, "org.example.My$Inner", "org.example.My$Inner")]
    public void ParseReturnsTypedValueWhenTextIsValid(ConfigType type, string text, object expected)
    {
        Assert.Equal(expected, ConfigValues.Parse("k", type, text));
    }

    [Theory]
    [InlineData("a, b ,c", new[] { "a", "b", "c" })]
    [InlineData("", new string[0])]
    [InlineData("  ", new string[0])]
    [InlineData("a,,b", new[] { "a", "", "b" })]
    public void ParseSplitsListWhenTypeIsList(string text, string[] expected)
    {
        Assert.Equal(expected, (IEnumerable<string>)ConfigValues.Parse("k", ConfigType.List, text));
    }

    [Theory]
    [InlineData(ConfigType.Int, "1.5")]
    [InlineData(ConfigType.Int, "2147483648")]
    [InlineData(ConfigType.Int, "")]
    [InlineData(ConfigType.Short, "32768")]
    [InlineData(ConfigType.Long, "1_000")]
    [InlineData(ConfigType.Double, "half")]
    [InlineData(ConfigType.Boolean, "1")]
    [InlineData(ConfigType.Class, "org..Bad")]
    public void ParseThrowsNamingKeyWhenTextIsInvalid(ConfigType type, string text)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigValues.Parse("the.key", type, text));

        Assert.Equal("the.key", error.Key);
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(12345678.0, "1.2345678E7")]
    [InlineData(1e7, "1.0E7")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    public void FormatWritesDoubleLikeJavaWhenValueIsDouble(double value, string expected)
    {
        Assert.Equal(expected, ConfigValues.Format(value));
    }

    [Fact]
    public void FormatJoinsListWithCommasWhenValueIsList()
    {
        Assert.Equal("compact,delete", ConfigValues.Format(new List<string> { "compact", "delete" }));
        Assert.Null(ConfigValues.Format(null));
    }
}
