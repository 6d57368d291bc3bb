using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

public class ServerCommandLineTests
{
    [Fact]
    public void ParseReadsFileAndOverridesWhenBothAreGiven()
    {
        var commandLine = ServerCommandLine.Parse(["config/server.properties", "--override", "broker.id=2", "--override=log.dirs=/a,/b"]);

        Assert.Equal("config/server.properties", commandLine.PropertiesFile);
        Assert.Equal(new Dictionary<string, string> { ["broker.id"] = "2", ["log.dirs"] = "/a,/b" }, commandLine.Overrides);
    }

    [Fact]
    public void ParseHasNoFileWhenArgumentsAreEmpty()
    {
        var commandLine = ServerCommandLine.Parse([]);

        Assert.Null(commandLine.PropertiesFile);
        Assert.Empty(commandLine.Overrides);
    }

    [Fact]
    public void ParseKeepsEqualsSignsInValueWhenValueHasThem()
    {
        var commandLine = ServerCommandLine.Parse(["--override", "sasl.jaas.config=a=b", "--override", "x="]);

        Assert.Equal("a=b", commandLine.Overrides["sasl.jaas.config"]);
        Assert.Equal(string.Empty, commandLine.Overrides["x"]);
    }

    [Fact]
    public void ParseKeepsLastOverrideWhenKeyIsRepeated()
    {
        var commandLine = ServerCommandLine.Parse(["--override", "a=1", "--override", "a=2"]);

        Assert.Equal("2", commandLine.Overrides["a"]);
    }

    [Theory]
    [InlineData("--override", "broker.id")]
    [InlineData("--override", "=5")]
    [InlineData("--override")]
    [InlineData("server.properties", "extra")]
    [InlineData("--bogus", "a=b")]
    public void ParseThrowsWhenArgumentsAreMalformed(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => ServerCommandLine.Parse(args));

        Assert.Contains("USAGE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseNamesPairWhenEqualsIsMissing()
    {
        var error = Assert.Throws<ArgumentException>(() => ServerCommandLine.Parse(["--override", "broker.id"]));

        Assert.Contains("'broker.id'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing '='", error.Message, StringComparison.Ordinal);
    }
}
