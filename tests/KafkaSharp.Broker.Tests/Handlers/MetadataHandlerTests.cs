using KafkaSharp.Broker.Handlers;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Handlers;

public sealed class MetadataHandlerTests
{
    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task HandleAsync_DescribesBrokerAndTopic_WhenAskedAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        TopicCreationResult created = await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("orders", 3), validateOnly: false);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<MetadataResponse>(Request("orders"), version);

        MetadataResponse.MetadataResponseBroker node = Assert.Single(response.Brokers);
        Assert.Equal((0, "127.0.0.1", 9092), (node.NodeId, node.Host, node.Port));
        Assert.Equal(version >= 1 ? 0 : -1, response.ControllerId);
        Assert.Equal(version >= 2 ? broker.Broker.Metadata.Current.ClusterId : null, response.ClusterId);
        MetadataResponse.MetadataResponseTopic topic = Assert.Single(response.Topics);
        Assert.Equal((short)ErrorCode.None, topic.ErrorCode);
        Assert.Equal("orders", topic.Name);
        Assert.Equal(version >= 10 ? created.Topic!.TopicId : Guid.Empty, topic.TopicId);
        Assert.Equal([0, 1, 2], topic.Partitions.Select(p => p.PartitionIndex));
        Assert.All(topic.Partitions, p =>
        {
            Assert.Equal(0, p.LeaderId);
            Assert.Equal([0], p.ReplicaNodes);
            Assert.Equal([0], p.IsrNodes);
            Assert.Equal(version >= 7 ? 0 : -1, p.LeaderEpoch);
        });
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task HandleAsync_AutoCreatesAndAnswersLeaderNotAvailable_WhenTheTopicIsMissingAndCreationAllowed(short version)
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["num.partitions"] = "2" });
        await using TestClient client = broker.Connect();

        var first = await client.RequestAsync<MetadataResponse>(Request("auto"), version);
        var second = await client.RequestAsync<MetadataResponse>(Request("auto"), version);

        Assert.Equal((short)ErrorCode.LeaderNotAvailable, Assert.Single(first.Topics).ErrorCode);
        MetadataResponse.MetadataResponseTopic topic = Assert.Single(second.Topics);
        Assert.Equal((short)ErrorCode.None, topic.ErrorCode);
        Assert.Equal(2, topic.Partitions.Count);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task HandleAsync_AnswersUnknownTopic_WhenAutoCreationIsDisabled(short version)
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<MetadataResponse>(Request("missing"), version);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(response.Topics).ErrorCode);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task HandleAsync_AnswersInvalidTopic_WhenTheNameIsIllegal(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<MetadataResponse>(Request("bad/name"), version);

        Assert.Equal((short)ErrorCode.InvalidTopicException, Assert.Single(response.Topics).ErrorCode);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(12)]
    public async Task HandleAsync_DoesNotCreate_WhenTheRequestDisallowsAutoCreation(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        MetadataRequest request = Request("nope");
        request.AllowAutoTopicCreation = false;

        var response = await client.RequestAsync<MetadataResponse>(request, version);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(response.Topics).ErrorCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    public async Task HandleAsync_ListsEveryTopic_WhenAllTopicsAreRequested(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("b"), validateOnly: false);
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("a"), validateOnly: false);
        await using TestClient client = broker.Connect();

        // v0 has no null list: an empty one means all topics.
        var request = new MetadataRequest { Topics = version == 0 ? [] : null };
        var response = await client.RequestAsync<MetadataResponse>(request, version);

        Assert.Equal(["a", "b"], response.Topics.Select(t => t.Name));
    }

    [Fact]
    public async Task HandleAsync_ListsNoTopics_WhenTheListIsEmptyFromV1()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("a"), validateOnly: false);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1);

        Assert.Empty(response.Topics);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(11)]
    public async Task HandleAsync_ReportsAuthorizedOperations_WhenRequested(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("a"), validateOnly: false);
        await using TestClient client = broker.Connect();
        MetadataRequest request = Request("a");
        request.IncludeTopicAuthorizedOperations = true;
        request.IncludeClusterAuthorizedOperations = version <= 10;

        var response = await client.RequestAsync<MetadataResponse>(request, version);

        Assert.Equal(AclOperations.AllTopicOperations, Assert.Single(response.Topics).TopicAuthorizedOperations);
        Assert.Equal(version <= 10 ? AclOperations.AllClusterOperations : int.MinValue, response.ClusterAuthorizedOperations);
        Assert.Equal((1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11), AclOperations.AllTopicOperations);
    }

    [Fact]
    public async Task HandleAsync_MarksInternalTopics_WhenTheyExist()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.AutoCreateTopicAsync("__consumer_offsets");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<MetadataResponse>(Request("__consumer_offsets"), 9);

        MetadataResponse.MetadataResponseTopic topic = Assert.Single(response.Topics);
        Assert.True(topic.IsInternal);
        Assert.Equal(50, topic.Partitions.Count);
    }

    [Fact]
    public async Task HandleAsync_FindsTopicsById_WhenV12NamesThemById()
    {
        await using TestBroker broker = TestBroker.Start();
        TopicCreationResult created = await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("by-id"), validateOnly: false);
        await using TestClient client = broker.Connect();
        Guid unknown = Guid.NewGuid();
        var request = new MetadataRequest
        {
            Topics = [new() { Name = null, TopicId = created.Topic!.TopicId }, new() { Name = null, TopicId = unknown }],
        };

        var response = await client.RequestAsync<MetadataResponse>(request, 12);

        Assert.Contains(response.Topics, t => t.Name == "by-id" && t.ErrorCode == 0);
        Assert.Contains(response.Topics, t => t.TopicId == unknown && t.ErrorCode == (short)ErrorCode.UnknownTopicId && t.Name is null);
    }

    private static MetadataRequest Request(string topic) =>
        new() { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] };
}
