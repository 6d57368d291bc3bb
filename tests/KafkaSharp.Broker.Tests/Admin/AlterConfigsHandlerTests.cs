using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>AlterConfigs over the wire for topics: replace semantics, validation, live effect and persistence.</summary>
public sealed class AlterConfigsHandlerTests
{
    public static TheoryData<short> Versions() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task AlterConfigs_ReplacesAllOverrides_WhenTopicExistsAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 2, ("retention.ms", "1000"), ("segment.bytes", "500000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, "events", false, ("cleanup.policy", "compact"), ("max.message.bytes", "2048")), version);

        AlterConfigsResponse.AlterConfigsResourceResponse result = Assert.Single(response.Responses);
        Assert.Equal(((short)ErrorCode.None, TopicResource, "events"), (result.ErrorCode, result.ResourceType, result.ResourceName));
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? topic));
        Assert.Equal(new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["max.message.bytes"] = "2048" }, topic.Configs);
        var configs = await DescribeAsync(client, TopicResource, "events");
        Assert.Equal(("604800000", (sbyte)5), (configs["retention.ms"].Value, configs["retention.ms"].ConfigSource));
        Assert.Equal(("compact", (sbyte)1), (configs["cleanup.policy"].Value, configs["cleanup.policy"].ConfigSource));
        foreach (int partition in new[] { 0, 1 })
        {
            LogConfig log = broker.Broker.Logs.GetLog(new TopicPartition("events", partition))!.Config;
            Assert.Equal((604800000L, 1073741824, CleanupPolicy.Compact, 2048), (log.RetentionMs, log.SegmentBytes, log.CleanupPolicy, log.MaxMessageBytes));
        }
    }

    [Fact]
    public async Task AlterConfigs_ChangesNothing_WhenValidateOnly()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, "events", true, ("retention.ms", "2000")), 1);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.Equal("1000", (await DescribeAsync(client, TopicResource, "events"))["retention.ms"].Value);
        Assert.Equal(1000, broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config.RetentionMs);
    }

    [Theory]
    [InlineData("events", "no.such.config", "1", ErrorCode.InvalidConfig, "no.such.config")]
    [InlineData("events", "retention.ms", "soon", ErrorCode.InvalidConfig, "retention.ms")]
    [InlineData("events", "segment.bytes", "10", ErrorCode.InvalidConfig, "segment.bytes")]
    [InlineData("events", "cleanup.policy", "sometimes", ErrorCode.InvalidConfig, "cleanup.policy")]
    [InlineData("events", "retention.ms", null, ErrorCode.InvalidRequest, "retention.ms")]
    [InlineData("missing", "retention.ms", "1", ErrorCode.UnknownTopicOrPartition, "missing")]
    [InlineData("", "retention.ms", "1", ErrorCode.InvalidRequest, "Default topic")]
    public async Task AlterConfigs_RefusesWithKafkasError_WhenInvalid(string topic, string key, string? value, ErrorCode expected, string mentioned)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, topic, false, (key, value)), 2);

        AlterConfigsResponse.AlterConfigsResourceResponse result = Assert.Single(response.Responses);
        Assert.Equal((short)expected, result.ErrorCode);
        Assert.Contains(mentioned, result.ErrorMessage, StringComparison.Ordinal);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? state));
        Assert.Equal("1000", state.Configs["retention.ms"]);
    }

    [Fact]
    public async Task AlterConfigs_RefusesEveryCopy_WhenAResourceIsNamedTwice()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();
        AlterConfigsRequest request = Alter(TopicResource, "events", false, ("retention.ms", "1"));
        request.Resources.Add(Alter(TopicResource, "events", false, ("retention.ms", "2")).Resources[0]);

        var response = await client.RequestAsync<AlterConfigsResponse>(request, 1);

        Assert.All(response.Responses, r => Assert.Equal((short)ErrorCode.InvalidRequest, r.ErrorCode));
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? state));
        Assert.Empty(state.Configs);
    }

    [Fact]
    public async Task AlterConfigs_AppliesToTheLogLive_WhenMaxMessageBytesIsLowered()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();
        PartitionLog log = broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!;
        AppendBatch(log, 1, 2000);

        var response = await client.RequestAsync<AlterConfigsResponse>(
            Alter(TopicResource, "events", false, ("max.message.bytes", "1000"), ("message.timestamp.type", "LogAppendTime")), 2);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.Equal((1000, TimestampType.LogAppendTime), (log.Config.MaxMessageBytes, log.Config.MessageTimestampType));
        StorageException refused = Assert.Throws<StorageException>(() => AppendBatch(log, 1, 2000));
        Assert.Equal(ErrorCode.MessageTooLarge, refused.ErrorCode);
    }

    [Fact]
    public async Task AlterConfigs_SurvivesRestart_WhenStored()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (TestBroker first = TestBroker.Start(dataDir: dataDir))
            {
                await CreateTopicAsync(first, "events");
                await using TestClient client = first.Connect();
                var response = await client.RequestAsync<AlterConfigsResponse>(Alter(TopicResource, "events", false, ("retention.ms", "5000")), 2);
                Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
                await first.StopAsync();
            }

            await using TestBroker second = TestBroker.Start(dataDir: dataDir);
            await using TestClient again = second.Connect();
            var configs = await DescribeAsync(again, TopicResource, "events");
            Assert.Equal(("5000", (sbyte)1), (configs["retention.ms"].Value, configs["retention.ms"].ConfigSource));
            Assert.Equal(5000, second.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config.RetentionMs);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
