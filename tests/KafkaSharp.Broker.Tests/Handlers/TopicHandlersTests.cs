using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Tests.Handlers;

/// <summary>CreateTopics, DeleteTopics and CreatePartitions over the wire.</summary>
public sealed class TopicHandlersTests
{
    public static TheoryData<short> CreateTopicsVersions() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(CreateTopicsVersions))]
    public async Task CreateTopics_CreatesTopicAndLogs_WhenValidAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<CreateTopicsResponse>(Create("events", 2, 1, ("retention.ms", "1000")), version);

        CreateTopicsResponse.CreatableTopicResult result = Assert.Single(response.Topics);
        Assert.Equal((short)ErrorCode.None, result.ErrorCode);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("events", out TopicState? topic));
        Assert.Equal(2, topic.Partitions.Count);
        Assert.NotNull(broker.Broker.Logs.GetLog(new TopicPartition("events", 1)));
        Assert.Equal(1000, broker.Broker.Logs.GetLog(new TopicPartition("events", 0))!.Config.RetentionMs);
        if (version >= 5)
        {
            Assert.Equal((2, (short)1), (result.NumPartitions, result.ReplicationFactor));
            CreateTopicsResponse.CreatableTopicConfigs retention = Assert.Single(result.Configs!, c => c.Name == "retention.ms");
            Assert.Equal("1000", retention.Value);
            Assert.Equal(1, retention.ConfigSource);
        }

        Assert.Equal(version >= 7 ? topic.TopicId : Guid.Empty, result.TopicId);
    }

    [Theory]
    [InlineData("dup", 1, 1, null, ErrorCode.TopicAlreadyExists)]
    [InlineData("bad name", 1, 1, null, ErrorCode.InvalidTopicException)]
    [InlineData("..", 1, 1, null, ErrorCode.InvalidTopicException)]
    [InlineData("ok", 0, 1, null, ErrorCode.InvalidPartitions)]
    [InlineData("ok", 1, 2, null, ErrorCode.InvalidReplicationFactor)]
    [InlineData("ok", 1, 0, null, ErrorCode.InvalidReplicationFactor)]
    [InlineData("ok", 1, 1, "retention.ms=abc", ErrorCode.InvalidConfig)]
    [InlineData("ok", 1, 1, "no.such.config=1", ErrorCode.InvalidConfig)]
    [InlineData("d_up", 1, 1, null, ErrorCode.InvalidTopicException)]
    public async Task CreateTopics_ReturnsKafkasError_WhenTheTopicIsInvalid(string name, int partitions, short replicationFactor, string? config, ErrorCode expected)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("dup"), validateOnly: false);
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("d.up"), validateOnly: false);
        await using TestClient client = broker.Connect();
        (string, string)[] configs = config is null ? [] : [(config.Split('=')[0], config.Split('=')[1])];

        var response = await client.RequestAsync<CreateTopicsResponse>(Create(name, partitions, replicationFactor, configs), 5);

        CreateTopicsResponse.CreatableTopicResult result = Assert.Single(response.Topics);
        Assert.Equal((short)expected, result.ErrorCode);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
        Assert.Equal(2, broker.Broker.Metadata.Current.TopicsByName.Count);
    }

    [Fact]
    public async Task CreateTopics_UsesBrokerDefaults_WhenCountsAreMinusOne()
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["num.partitions"] = "4" });
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<CreateTopicsResponse>(Create("defaults", -1, -1), 7);

        Assert.Equal(4, Assert.Single(response.Topics).NumPartitions);
    }

    [Fact]
    public async Task CreateTopics_CreatesNothing_WhenValidateOnly()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        CreateTopicsRequest request = Create("dry", 3, 1);
        request.ValidateOnly = true;

        var response = await client.RequestAsync<CreateTopicsResponse>(request, 6);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Topics).ErrorCode);
        Assert.Equal(3, response.Topics[0].NumPartitions);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
        Assert.Null(broker.Broker.Logs.GetLog(new TopicPartition("dry", 0)));
    }

    [Fact]
    public async Task CreateTopics_RefusesBoth_WhenATopicIsNamedTwice()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        CreateTopicsRequest request = Create("twice", 1, 1);
        request.Topics.Add(Create("twice", 2, 1).Topics[0]);

        var response = await client.RequestAsync<CreateTopicsResponse>(request, 4);

        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(response.Topics).ErrorCode);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Fact]
    public async Task CreateTopics_RefusesCountsWithAssignments_WhenBothAreGiven()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        CreateTopicsRequest request = Create("both", 1, 1);
        request.Topics[0].Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = 0, BrokerIds = [0] });

        var response = await client.RequestAsync<CreateTopicsResponse>(request, 4);

        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(response.Topics).ErrorCode);
    }

    [Fact]
    public async Task CreateTopics_UsesTheAssignment_WhenOnlyAssignmentsAreGiven()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        CreateTopicsRequest request = Create("assigned", -1, -1);
        request.Topics[0].Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = 0, BrokerIds = [0] });
        request.Topics[0].Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = 1, BrokerIds = [0] });
        CreateTopicsRequest unknownBroker = Create("elsewhere", -1, -1);
        unknownBroker.Topics[0].Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = 0, BrokerIds = [7] });

        var response = await client.RequestAsync<CreateTopicsResponse>(request, 4);
        var refused = await client.RequestAsync<CreateTopicsResponse>(unknownBroker, 4);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Topics).ErrorCode);
        Assert.Equal(2, broker.Broker.Metadata.Current.TopicsByName["assigned"].Partitions.Count);
        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, Assert.Single(refused.Topics).ErrorCode);
    }

    public static TheoryData<short> DeleteTopicsVersions() => [0, 1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(DeleteTopicsVersions))]
    public async Task DeleteTopics_RemovesTopicAndLogs_WhenNamedAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("doomed", 2), validateOnly: false);
        string logDir = broker.Broker.Logs.GetLog(new TopicPartition("doomed", 0))!.Directory;
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DeleteTopicsResponse>(Delete(version, "doomed", "never-was"), version);

        Assert.Equal((short)ErrorCode.None, response.Responses.Single(r => r.Name == "doomed").ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, response.Responses.Single(r => r.Name == "never-was").ErrorCode);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
        Assert.Null(broker.Broker.Logs.GetLog(new TopicPartition("doomed", 0)));
        Assert.False(Directory.Exists(logDir));
    }

    [Fact]
    public async Task DeleteTopics_DeletesById_WhenV6NamesTheTopicId()
    {
        await using TestBroker broker = TestBroker.Start();
        TopicCreationResult created = await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("by-id"), validateOnly: false);
        await using TestClient client = broker.Connect();
        Guid unknown = Guid.NewGuid();
        var request = new DeleteTopicsRequest
        {
            Topics = [new() { Name = null, TopicId = created.Topic!.TopicId }, new() { Name = null, TopicId = unknown }],
        };

        var response = await client.RequestAsync<DeleteTopicsResponse>(request, 6);

        DeleteTopicsResponse.DeletableTopicResult deleted = response.Responses.Single(r => r.TopicId == created.Topic.TopicId);
        Assert.Equal(("by-id", (short)0), (deleted.Name, deleted.ErrorCode));
        Assert.Equal((short)ErrorCode.UnknownTopicId, response.Responses.Single(r => r.TopicId == unknown).ErrorCode);
        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Theory]
    [InlineData(2, ErrorCode.InvalidRequest)]
    [InlineData(3, ErrorCode.TopicDeletionDisabled)]
    [InlineData(6, ErrorCode.TopicDeletionDisabled)]
    public async Task DeleteTopics_Refuses_WhenDeletionIsDisabled(short version, ErrorCode expected)
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["delete.topic.enable"] = "false" });
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("kept"), validateOnly: false);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DeleteTopicsResponse>(Delete(version, "kept"), version);

        Assert.Equal((short)expected, Assert.Single(response.Responses).ErrorCode);
        Assert.Single(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Fact]
    public async Task DeleteTopics_Refuses_WhenTheTopicIsInternal()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.AutoCreateTopicAsync(InternalTopics.ConsumerOffsets);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DeleteTopicsResponse>(Delete(5, InternalTopics.ConsumerOffsets), 5);

        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(response.Responses).ErrorCode);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic(InternalTopics.ConsumerOffsets, out _));
    }

    public static TheoryData<short> CreatePartitionsVersions() => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(CreatePartitionsVersions))]
    public async Task CreatePartitions_GrowsTheTopic_WhenTheCountIsHigherAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("grow", 1), validateOnly: false);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<CreatePartitionsResponse>(Grow("grow", 3), version);

        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Results).ErrorCode);
        Assert.Equal(3, broker.Broker.Metadata.Current.TopicsByName["grow"].Partitions.Count);
        Assert.NotNull(broker.Broker.Logs.GetLog(new TopicPartition("grow", 2)));
    }

    [Theory]
    [InlineData("grow", 2, ErrorCode.InvalidPartitions)]
    [InlineData("grow", 1, ErrorCode.InvalidPartitions)]
    [InlineData("missing", 5, ErrorCode.UnknownTopicOrPartition)]
    public async Task CreatePartitions_ReturnsKafkasError_WhenTheCountIsNotAnIncrease(string topic, int count, ErrorCode expected)
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("grow", 2), validateOnly: false);
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<CreatePartitionsResponse>(Grow(topic, count), 3);

        CreatePartitionsResponse.CreatePartitionsTopicResult result = Assert.Single(response.Results);
        Assert.Equal((short)expected, result.ErrorCode);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
    }

    [Fact]
    public async Task CreatePartitions_ReturnsInvalidReplicaAssignment_WhenAssignmentsDoNotMatch()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("grow", 1), validateOnly: false);
        await using TestClient client = broker.Connect();
        CreatePartitionsRequest tooFew = Grow("grow", 3);
        tooFew.Topics[0].Assignments = [new() { BrokerIds = [0] }];
        CreatePartitionsRequest unknownBroker = Grow("grow", 2);
        unknownBroker.Topics[0].Assignments = [new() { BrokerIds = [5] }];

        var first = await client.RequestAsync<CreatePartitionsResponse>(tooFew, 2);
        var second = await client.RequestAsync<CreatePartitionsResponse>(unknownBroker, 2);

        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, Assert.Single(first.Results).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, Assert.Single(second.Results).ErrorCode);
        Assert.Single(broker.Broker.Metadata.Current.TopicsByName["grow"].Partitions);
    }

    [Fact]
    public async Task CreatePartitions_ChangesNothing_WhenValidateOnlyOrDuplicated()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("grow", 1), validateOnly: false);
        await using TestClient client = broker.Connect();
        CreatePartitionsRequest dry = Grow("grow", 4);
        dry.ValidateOnly = true;
        CreatePartitionsRequest twice = Grow("grow", 4);
        twice.Topics.Add(Grow("grow", 5).Topics[0]);

        var validated = await client.RequestAsync<CreatePartitionsResponse>(dry, 1);
        var duplicated = await client.RequestAsync<CreatePartitionsResponse>(twice, 1);

        Assert.Equal((short)ErrorCode.None, Assert.Single(validated.Results).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(duplicated.Results).ErrorCode);
        Assert.Single(broker.Broker.Metadata.Current.TopicsByName["grow"].Partitions);
    }

    private static CreateTopicsRequest Create(string name, int partitions, short replicationFactor, params (string Name, string Value)[] configs) => new()
    {
        TimeoutMs = 5000,
        Topics =
        [
            new CreateTopicsRequest.CreatableTopic
            {
                Name = name,
                NumPartitions = partitions,
                ReplicationFactor = replicationFactor,
                Configs = [.. configs.Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Name, Value = c.Value })],
            },
        ],
    };

    private static DeleteTopicsRequest Delete(short version, params string[] names) => version >= 6
        ? new DeleteTopicsRequest { TimeoutMs = 5000, Topics = [.. names.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n })] }
        : new DeleteTopicsRequest { TimeoutMs = 5000, TopicNames = [.. names] };

    private static CreatePartitionsRequest Grow(string topic, int count) => new()
    {
        TimeoutMs = 5000,
        Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = topic, Count = count, Assignments = null }],
    };
}
