using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Confluent;

/// <summary>
/// Confluent.Kafka's AdminClient managing topics and their configs. Debian's librdkafka 2.0.2 predates
/// rd_kafka_IncrementalAlterConfigs (2.2.0), and no other client installed here sends IncrementalAlterConfigs, so
/// that API is driven over a raw socket with the generated messages and checked through the AdminClient.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class ConfluentAdminClientTests(ServerFixture server)
{
    private const sbyte TopicResource = 2;
    private const sbyte OperationSet = 0;
    private const sbyte OperationDelete = 1;

    private readonly ServerFixture _server = server;
    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task CreateTopics_CreatesTopicWithPartitionsAndConfigs_WhenAskedByTheAdminClient()
    {
        string topic = Clients.NewTopicName("admin-create");
        using IAdminClient admin = Clients.Admin(_bootstrap);
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic, NumPartitions = 4, ReplicationFactor = 1,
            Configs = new() { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" },
        }]).WaitAsync(Clients.Timeout);

        TopicMetadata metadata = Assert.Single(admin.GetMetadata(topic, Clients.Timeout).Topics);
        Assert.Equal(ErrorCode.NoError, metadata.Error.Code);
        Assert.Equal([0, 1, 2, 3], metadata.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(metadata.Partitions, p => Assert.Equal(0, p.Leader));

        Dictionary<string, ConfigEntryResult> configs = await DescribeTopicAsync(admin, topic);
        Assert.Equal("3600000", configs["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, configs["retention.ms"].Source);
        Assert.Equal("compact", configs["cleanup.policy"].Value);
        Assert.True(configs["segment.bytes"].IsDefault);
    }

    [Fact]
    public async Task CreateTopics_FailsWithTopicAlreadyExists_WhenTheNameIsTaken()
    {
        string topic = Clients.NewTopicName("admin-twice");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using IAdminClient admin = Clients.Admin(_bootstrap);
        CreateTopicsException error = await Assert.ThrowsAsync<CreateTopicsException>(
            () => admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]).WaitAsync(Clients.Timeout));
        Assert.Equal(ErrorCode.TopicAlreadyExists, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task DescribeConfigs_ListsBrokerConfigs_WhenAskedForTheBroker()
    {
        using IAdminClient admin = Clients.Admin(_bootstrap);
        List<DescribeConfigsResult> results = await admin.DescribeConfigsAsync(
            [new ConfigResource { Type = ResourceType.Broker, Name = "0" }]).WaitAsync(Clients.Timeout);
        Dictionary<string, ConfigEntryResult> entries = Assert.Single(results).Entries;
        Assert.Equal("4194304", entries["message.max.bytes"].Value);
        Assert.Contains($"127.0.0.1:{_server.Host.Port}", entries["listeners"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_SetsAndDeletesTopicConfigs_WhenSentOverTheWire()
    {
        string topic = Clients.NewTopicName("admin-alter");
        await Clients.CreateTopicAsync(_bootstrap, topic, configs: new() { ["retention.ms"] = "3600000" });

        IncrementalAlterConfigsResponse response = await IncrementalAlterAsync(topic,
            new() { Name = "max.message.bytes", ConfigOperation = OperationSet, Value = "123456" },
            new() { Name = "retention.ms", ConfigOperation = OperationDelete, Value = null });
        IncrementalAlterConfigsResponse.AlterConfigsResourceResponse result = Assert.Single(response.Responses);
        Assert.Equal(0, result.ErrorCode);

        using IAdminClient admin = Clients.Admin(_bootstrap);
        Dictionary<string, ConfigEntryResult> configs = await DescribeTopicAsync(admin, topic);
        Assert.Equal("123456", configs["max.message.bytes"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, configs["max.message.bytes"].Source);
        Assert.True(configs["retention.ms"].IsDefault);
        Assert.Equal("604800000", configs["retention.ms"].Value);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_RejectsTheChange_WhenAValueIsInvalid()
    {
        string topic = Clients.NewTopicName("admin-invalid");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        IncrementalAlterConfigsResponse response = await IncrementalAlterAsync(topic,
            new IncrementalAlterConfigsRequest.AlterableConfig { Name = "retention.ms", ConfigOperation = OperationSet, Value = "not-a-number" });
        Assert.Equal(40, Assert.Single(response.Responses).ErrorCode); // INVALID_CONFIG

        using IAdminClient admin = Clients.Admin(_bootstrap);
        Assert.True((await DescribeTopicAsync(admin, topic))["retention.ms"].IsDefault);
    }

    [Fact]
    public async Task AlterConfigs_ReplacesTheTopicsDynamicConfigs_WhenAskedByTheAdminClient()
    {
        string topic = Clients.NewTopicName("admin-legacy-alter");
        await Clients.CreateTopicAsync(_bootstrap, topic, configs: new() { ["retention.ms"] = "3600000" });
        using IAdminClient admin = Clients.Admin(_bootstrap);
        // The legacy AlterConfigs replaces the whole set: retention.ms, not named, goes back to its default.
        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] = [new ConfigEntry { Name = "segment.ms", Value = "7200000" }],
        }).WaitAsync(Clients.Timeout);

        Dictionary<string, ConfigEntryResult> configs = await DescribeTopicAsync(admin, topic);
        Assert.Equal("7200000", configs["segment.ms"].Value);
        Assert.True(configs["retention.ms"].IsDefault);
    }

    [Fact]
    public async Task DeleteTopics_RemovesTheTopic_WhenAskedByTheAdminClient()
    {
        string topic = Clients.NewTopicName("admin-delete");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        using IAdminClient admin = Clients.Admin(_bootstrap);
        await admin.DeleteTopicsAsync([topic]).WaitAsync(Clients.Timeout);

        Assert.DoesNotContain(admin.GetMetadata(Clients.Timeout).Topics, t => t.Topic == topic);
        DeleteTopicsException again = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync([topic]).WaitAsync(Clients.Timeout));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(again.Results).Error.Code);
    }

    [Fact]
    public async Task CreatePartitions_AddsPartitions_WhenAskedByTheAdminClient()
    {
        string topic = Clients.NewTopicName("admin-partitions");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 1);
        using IAdminClient admin = Clients.Admin(_bootstrap);
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 3 }]).WaitAsync(Clients.Timeout);
        Assert.Equal(3, Assert.Single(admin.GetMetadata(topic, Clients.Timeout).Topics).Partitions.Count);
    }

    private static async Task<Dictionary<string, ConfigEntryResult>> DescribeTopicAsync(IAdminClient admin, string topic)
    {
        List<DescribeConfigsResult> results = await admin.DescribeConfigsAsync(
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }]).WaitAsync(Clients.Timeout);
        return Assert.Single(results).Entries;
    }

    private async Task<IncrementalAlterConfigsResponse> IncrementalAlterAsync(string topic, params IncrementalAlterConfigsRequest.AlterableConfig[] changes)
    {
        using RawConnection connection = await RawConnection.ConnectAsync(_server.Host.Port);
        var request = new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = TopicResource, ResourceName = topic, Configs = [.. changes] }],
        };
        return await connection.RequestAsync<IncrementalAlterConfigsResponse>(request, version: 1);
    }
}
