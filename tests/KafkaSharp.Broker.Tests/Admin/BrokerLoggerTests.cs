using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>The BROKER_LOGGER resource (KIP-412): describing loggers and changing their levels at runtime.</summary>
public sealed class BrokerLoggerTests
{
    private const sbyte Set = 0, Delete = 1, Append = 2;
    private const string AdminLogger = "KafkaSharp.Broker.Admin.ConfigAdmin";

    [Fact]
    public async Task DescribeConfigs_ListsRootAndBrokerLoggers_WhenBrokerIdIsGiven()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var loggers = await DescribeAsync(client, BrokerLoggerResource, "0");

        Assert.Equal("TRACE", loggers["root"].Value);
        Assert.Equal("TRACE", loggers[AdminLogger].Value);
        Assert.All(loggers.Values, l => Assert.Equal(((sbyte)6, false, false), (l.ConfigSource, l.ReadOnly, l.IsSensitive)));
    }

    [Fact]
    public async Task IncrementalAlterConfigs_QuietensALoggerAndItsChildren_WhenALevelIsSet()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        var set = await IncrementalAsync(client, BrokerLoggerResource, "0", ("KafkaSharp.Broker.Admin", Set, "WARN"));
        var quiet = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, "events", false, ("retention.ms", "1000")), 2);
        var loggers = await DescribeAsync(client, BrokerLoggerResource, "0");
        var unset = await IncrementalAsync(client, BrokerLoggerResource, "0", ("KafkaSharp.Broker.Admin", Delete, null));
        var loud = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, "events", false, ("retention.ms", "2000")), 2);

        Assert.Equal(((short)ErrorCode.None, (short)ErrorCode.None), (set.ErrorCode, unset.ErrorCode));
        Assert.Equal(("WARN", "TRACE"), (loggers[AdminLogger].Value, loggers["root"].Value));
        Assert.Equal((short)ErrorCode.None, Assert.Single(quiet.Responses).ErrorCode);
        Assert.Equal((short)ErrorCode.None, Assert.Single(loud.Responses).ErrorCode);
        Assert.Single(broker.Logs.Lines, l => l.Category == AdminLogger && l.Message.StartsWith("Updated the configuration of topic", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0", "root", Delete, null, ErrorCode.InvalidRequest, "root")]
    [InlineData("0", "no.such.logger", Set, "INFO", ErrorCode.InvalidConfig, "does not exist")]
    [InlineData("0", "root", Set, "LOUD", ErrorCode.InvalidConfig, "not a supported log level")]
    [InlineData("0", "root", Append, "INFO", ErrorCode.InvalidRequest, "APPEND")]
    [InlineData("7", "root", Set, "INFO", ErrorCode.InvalidRequest, "Unexpected broker id")]
    public async Task IncrementalAlterConfigs_RefusesWithKafkasError_WhenLoggerChangeIsInvalid(string name, string logger, sbyte operation, string? level, ErrorCode expected, string mentioned)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, BrokerLoggerResource, name, (logger, operation, level));

        Assert.Equal((short)expected, result.ErrorCode);
        Assert.Contains(mentioned, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("TRACE", (await DescribeAsync(client, BrokerLoggerResource, "0"))["root"].Value);
    }

    [Fact]
    public async Task DescribeAndAlterConfigs_RefuseBrokerLogger_WhereKafkaDoes()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var describe = await client.RequestAsync<DescribeConfigsResponse>(Describe(BrokerLoggerResource, string.Empty), 4);
        var alter = await client.RequestAsync<AlterConfigsResponse>(Alter(BrokerLoggerResource, "0", false, ("root", "INFO")), 2);

        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(describe.Results).ErrorCode);
        Assert.Equal("Broker id must not be empty", describe.Results[0].ErrorMessage);
        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(alter.Responses).ErrorCode);
        Assert.Contains("only supported for topics and brokers", alter.Responses[0].ErrorMessage, StringComparison.Ordinal);
    }
}
