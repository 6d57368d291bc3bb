using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>
/// Dynamic broker configs (KIP-226) through AlterConfigs / IncrementalAlterConfigs and DescribeConfigs: per-broker and
/// cluster-wide default levels, their sources, the keys that cannot change, and log.* defaults reaching topics live.
/// </summary>
public sealed class BrokerConfigsTests
{
    private const sbyte Set = 0, Delete = 1, Append = 2;
    private const sbyte DynamicBroker = 2, DynamicDefault = 3, Default = 5;

    [Fact]
    public async Task IncrementalAlterConfigs_ReachesTopicsWithoutOverrides_WhenALogDefaultChangesPerBroker()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "plain");
        await CreateTopicAsync(broker, "own", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, BrokerResource, "0", ("log.retention.ms", Set, "7200000"), ("message.max.bytes", Set, "4000"));

        Assert.Equal((short)ErrorCode.None, result.ErrorCode);
        Assert.Equal((7200000L, 4000), (Log(broker, "plain").RetentionMs, Log(broker, "plain").MaxMessageBytes));
        Assert.Equal(1000, Log(broker, "own").RetentionMs);
        var brokerConfigs = await DescribeAsync(client, BrokerResource, "0");
        Assert.Equal(("7200000", DynamicBroker), (brokerConfigs["log.retention.ms"].Value, brokerConfigs["log.retention.ms"].ConfigSource));
        var topicConfigs = await DescribeAsync(client, TopicResource, "plain");
        Assert.Equal(("7200000", DynamicBroker), (topicConfigs["retention.ms"].Value, topicConfigs["retention.ms"].ConfigSource));
        Assert.Equal(("log.retention.ms", DynamicBroker), (topicConfigs["retention.ms"].Synonyms[0].Name, topicConfigs["retention.ms"].Synonyms[0].Source));
    }

    [Fact]
    public async Task AlterConfigs_SetsClusterDefaults_WhenResourceNameIsEmpty()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "plain");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(BrokerResource, string.Empty, false, ("log.segment.bytes", "3000000")), 1);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.Equal(3000000, Log(broker, "plain").SegmentBytes);
        var defaults = await DescribeAsync(client, BrokerResource, string.Empty);
        var segment = Assert.Single(defaults.Values);
        Assert.Equal(("log.segment.bytes", "3000000", DynamicDefault), (segment.Name, segment.Value, segment.ConfigSource));
        Assert.Equal([DynamicDefault], segment.Synonyms.Select(s => s.Source));
        var own = (await DescribeAsync(client, BrokerResource, "0"))["log.segment.bytes"];
        Assert.Equal([DynamicDefault, Default], own.Synonyms.Select(s => s.Source));
    }

    [Fact]
    public async Task IncrementalAlterConfigs_PrefersPerBrokerOverClusterDefault_AndFallsBackOnDelete()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "plain");
        await using TestClient client = broker.Connect();

        await IncrementalAsync(client, BrokerResource, string.Empty, ("log.retention.ms", Set, "100000"));
        await IncrementalAsync(client, BrokerResource, "0", ("log.retention.ms", Set, "200000"));
        long both = Log(broker, "plain").RetentionMs;
        var deleted = await IncrementalAsync(client, BrokerResource, "0", ("log.retention.ms", Delete, null));
        long afterDelete = Log(broker, "plain").RetentionMs;

        Assert.Equal((short)ErrorCode.None, deleted.ErrorCode);
        Assert.Equal((200000L, 100000L), (both, afterDelete));
        Assert.Equal(DynamicDefault, (await DescribeAsync(client, BrokerResource, "0"))["log.retention.ms"].ConfigSource);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_AppendsToBrokerList_WhenListConfig()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "plain");
        await using TestClient client = broker.Connect();

        var result = await IncrementalAsync(client, BrokerResource, "0", ("log.cleanup.policy", Append, "compact"));

        Assert.Equal((short)ErrorCode.None, result.ErrorCode);
        Assert.Equal("delete,compact", (await DescribeAsync(client, BrokerResource, "0"))["log.cleanup.policy"].Value);
        Assert.True(Log(broker, "plain").IsCompacted);
    }

    [Theory]
    [InlineData("0", "auto.create.topics.enable", "false", ErrorCode.InvalidConfig, "Cannot update these configs dynamically")]
    [InlineData("", "advertised.listeners", "PLAINTEXT://h:1", ErrorCode.InvalidConfig, "broker id must be specified")]
    [InlineData("0", "log.segment.bytes", "3", ErrorCode.InvalidConfig, "log.segment.bytes")]
    [InlineData("0", "no.such.config", "3", ErrorCode.InvalidConfig, "no.such.config")]
    [InlineData("7", "log.segment.bytes", "3000000", ErrorCode.InvalidRequest, "Unexpected broker id")]
    [InlineData("x", "log.segment.bytes", "3000000", ErrorCode.InvalidRequest, "must be an integer")]
    public async Task AlterConfigs_RefusesWithKafkasError_WhenBrokerConfigCannotChange(string name, string key, string value, ErrorCode expected, string mentioned)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(BrokerResource, name, false, (key, value)), 2);

        AlterConfigsResponse.AlterConfigsResourceResponse result = Assert.Single(response.Responses);
        Assert.Equal((short)expected, result.ErrorCode);
        Assert.Contains(mentioned, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(broker.Broker.Metadata.Current.BrokerConfigs.ClusterDefault);
        Assert.Empty(broker.Broker.Metadata.Current.BrokerConfigs.PerBroker);
    }

    [Fact]
    public async Task AlterConfigs_ChangesNothing_WhenBrokerValidateOnly()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<AlterConfigsResponse>(Alter(BrokerResource, "0", true, ("log.segment.bytes", "3000000")), 2);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Responses).ErrorCode);
        Assert.Equal((sbyte)Default, (await DescribeAsync(client, BrokerResource, "0"))["log.segment.bytes"].ConfigSource);
    }

    [Fact]
    public async Task AlterConfigs_KeepsBrokerConfigs_WhenBrokerRestarts()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (TestBroker first = TestBroker.Start(dataDir: dataDir))
            {
                await CreateTopicAsync(first, "plain");
                await using TestClient client = first.Connect();
                await IncrementalAsync(client, BrokerResource, "0", ("log.retention.ms", Set, "123456"));
                await IncrementalAsync(client, BrokerResource, string.Empty, ("log.segment.bytes", Set, "3000000"));
                await first.StopAsync();
            }

            await using TestBroker second = TestBroker.Start(dataDir: dataDir);
            await using TestClient again = second.Connect();
            var configs = await DescribeAsync(again, BrokerResource, "0");
            Assert.Equal(DynamicBroker, configs["log.retention.ms"].ConfigSource);
            Assert.Equal(DynamicDefault, configs["log.segment.bytes"].ConfigSource);
            Assert.Equal((123456L, 3000000), (Log(second, "plain").RetentionMs, Log(second, "plain").SegmentBytes));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static KafkaSharp.Storage.Config.LogConfig Log(TestBroker broker, string topic) =>
        broker.Broker.Logs.GetLog(new TopicPartition(topic, 0))!.Config;
}
