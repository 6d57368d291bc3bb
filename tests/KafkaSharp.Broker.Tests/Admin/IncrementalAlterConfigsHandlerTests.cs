using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>IncrementalAlterConfigs over the wire for topics: the four operations, validation and validate_only.</summary>
public sealed class IncrementalAlterConfigsHandlerTests
{
    private const sbyte Set = 0, Delete = 1, Append = 2, Subtract = 3;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task IncrementalAlterConfigs_SetsAndDeletes_WhenValidAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"), ("segment.bytes", "500000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<IncrementalAlterConfigsResponse>(
            Incremental(TopicResource, "events", false, ("retention.ms", Delete, null), ("max.message.bytes", Set, "4096")), version);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? topic));
        Assert.Equal(new Dictionary<string, string> { ["segment.bytes"] = "500000", ["max.message.bytes"] = "4096" }, topic.Configs);
        LogConfig log = broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config;
        Assert.Equal((604800000L, 500000, 4096), (log.RetentionMs, log.SegmentBytes, log.MaxMessageBytes));
    }

    [Fact]
    public async Task IncrementalAlterConfigs_AppendsToTheDefault_WhenListIsNotSet()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        var appended = await IncrementalAsync(client, TopicResource, "events", ("cleanup.policy", Append, "compact"));
        string afterAppend = (await DescribeAsync(client, TopicResource, "events"))["cleanup.policy"].Value!;
        var again = await IncrementalAsync(client, TopicResource, "events", ("cleanup.policy", Append, "compact"));
        string afterRepeat = (await DescribeAsync(client, TopicResource, "events"))["cleanup.policy"].Value!;
        var subtracted = await IncrementalAsync(client, TopicResource, "events", ("cleanup.policy", Subtract, "delete"));
        string afterSubtract = (await DescribeAsync(client, TopicResource, "events"))["cleanup.policy"].Value!;

        Assert.All(new[] { appended, again, subtracted }, r => Assert.Equal((short)ErrorCode.None, r.ErrorCode));
        Assert.Equal(("delete,compact", "delete,compact", "compact"), (afterAppend, afterRepeat, afterSubtract));
        Assert.Equal(CleanupPolicy.Compact, broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config.CleanupPolicy);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_AppendsThrottledReplicas_WhenListStartsEmpty()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        await IncrementalAsync(client, TopicResource, "events", ("leader.replication.throttled.replicas", Append, "0:0"));
        await IncrementalAsync(client, TopicResource, "events", ("leader.replication.throttled.replicas", Append, "1:0"));

        Assert.Equal("0:0,1:0", (await DescribeAsync(client, TopicResource, "events"))["leader.replication.throttled.replicas"].Value);
    }

    [Theory]
    [InlineData("retention.ms", Append, "5", ErrorCode.InvalidConfig, "retention.ms")]
    [InlineData("retention.ms", Subtract, "5", ErrorCode.InvalidConfig, "retention.ms")]
    [InlineData("no.such.config", Set, "5", ErrorCode.InvalidConfig, "no.such.config")]
    [InlineData("no.such.config", Append, "5", ErrorCode.InvalidConfig, "no.such.config")]
    [InlineData("retention.ms", Set, "-5", ErrorCode.InvalidConfig, "retention.ms")]
    [InlineData("retention.ms", Set, null, ErrorCode.InvalidRequest, "SET:retention.ms")]
    [InlineData("retention.ms", 9, "5", ErrorCode.InvalidRequest, "retention.ms")]
    public async Task IncrementalAlterConfigs_RefusesWithKafkasError_WhenInvalid(string key, sbyte operation, string? value, ErrorCode expected, string mentioned)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, TopicResource, "events", (key, operation, value));

        Assert.Equal((short)expected, result.ErrorCode);
        Assert.Contains(mentioned, result.ErrorMessage, StringComparison.Ordinal);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? topic));
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "1000" }, topic.Configs);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_RefusesTheResource_WhenAKeyAppearsTwice()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, TopicResource, "events", ("retention.ms", Set, "1"), ("retention.ms", Delete, null));

        Assert.Equal((short)ErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Contains("duplicate config keys", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_ChangesNothing_WhenValidateOnly()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<IncrementalAlterConfigsResponse>(
            Incremental(TopicResource, "events", true, ("retention.ms", Set, "1")), 1);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? topic));
        Assert.Empty(topic.Configs);
        Assert.Equal(604800000, broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config.RetentionMs);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_AnswersUnknownTopic_WhenTopicIsMissing()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, TopicResource, "missing", ("retention.ms", Set, "1"));

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, result.ErrorCode);
    }
}
