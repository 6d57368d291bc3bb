using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>The group APIs over the wire, at their version ranges, with the error codes Kafka answers.</summary>
public sealed class GroupHandlersTests
{
    private static TestBroker Start(Dictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["offsets.topic.num.partitions"] = "5",
            ["group.initial.rebalance.delay.ms"] = "0",
            ["group.min.session.timeout.ms"] = "100",
        };
        foreach ((string key, string value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return TestBroker.Start(settings);
    }

    private static async Task CreateTopicAsync(TestBroker broker, string name, int partitions = 2) =>
        Assert.Equal(ErrorCode.None, (await broker.Broker.Topics.CreateTopicAsync(new TopicCreation(name, partitions, 1), validateOnly: false)).Error);

    /// <summary>FindCoordinator, which creates __consumer_offsets, then waits for its partitions to load.</summary>
    private static async Task FindCoordinatorAsync(TestBroker broker, TestClient client, string groupId)
    {
        var found = await client.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = groupId }, 2);
        Assert.Equal((short)ErrorCode.None, found.ErrorCode);
        DateTime deadline = DateTime.UtcNow + TestClient.Timeout;
        while (broker.Broker.Groups.ValidateGroupStatus(groupId, allowEmptyId: true) != ErrorCode.None)
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(10);
        }
    }

    private static JoinGroupRequest JoinRequest(string groupId, string memberId = "", string protocolType = "consumer", string? instanceId = null) => new()
    {
        GroupId = groupId,
        MemberId = memberId,
        GroupInstanceId = instanceId,
        SessionTimeoutMs = 10_000,
        RebalanceTimeoutMs = 10_000,
        ProtocolType = protocolType,
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = GroupHarness.Subscription("events") }],
    };

    /// <summary>Joins at v9 (MEMBER_ID_REQUIRED first) and syncs as the only member; returns member id and generation.</summary>
    private static async Task<(string MemberId, int Generation)> JoinAndSyncAsync(TestClient client, string groupId)
    {
        var first = await client.RequestAsync<JoinGroupResponse>(JoinRequest(groupId), 9);
        Assert.Equal((short)ErrorCode.MemberIdRequired, first.ErrorCode);
        var joined = await client.RequestAsync<JoinGroupResponse>(JoinRequest(groupId, first.MemberId), 9);
        Assert.Equal((short)ErrorCode.None, joined.ErrorCode);
        Assert.Equal(joined.MemberId, joined.Leader);
        var synced = await client.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = groupId,
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            ProtocolType = "consumer",
            ProtocolName = "range",
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = joined.MemberId, Assignment = [1, 2] }],
        }, 5);
        Assert.Equal((short)ErrorCode.None, synced.ErrorCode);
        Assert.Equal([1, 2], synced.Assignment);
        Assert.Equal("range", synced.ProtocolName);
        return (joined.MemberId, joined.GenerationId);
    }

    [Theory]
    [InlineData((short)0)]
    [InlineData((short)3)]
    public async Task FindCoordinatorCreatesTheOffsetsTopicAndAnswersThisBrokerBeforeV4(short version)
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        var response = await client.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, version);
        Assert.Equal((short)ErrorCode.None, response.ErrorCode);
        Assert.Equal(0, response.NodeId);
        Assert.Equal("127.0.0.1", response.Host);
        Assert.Equal(9092, response.Port);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("__consumer_offsets", out var topic));
        Assert.Equal(5, topic.Partitions.Count);
        Assert.Equal("compact", topic.Configs["cleanup.policy"]);
    }

    [Fact]
    public async Task ConcurrentFirstFindCoordinatorsCreateTheOffsetsTopicOnceAndQuietly()
    {
        await using TestBroker broker = Start();
        TestClient[] clients = [.. Enumerable.Range(0, 5).Select(_ => broker.Connect())];
        try
        {
            FindCoordinatorResponse[] responses = await Task.WhenAll(clients.Select(c =>
                c.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKeys = ["g"] }, 4)));
            Assert.All(responses, r => Assert.Equal((short)ErrorCode.None, Assert.Single(r.Coordinators).ErrorCode));
            Assert.Empty(broker.Logs.MessagesAtLeast(Microsoft.Extensions.Logging.LogLevel.Warning));
        }
        finally
        {
            foreach (TestClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FindCoordinatorAnswersEachKeyWhenBatchedFromV4()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        var groups = await client.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["a", "b"] }, 4);
        Assert.Equal(["a", "b"], groups.Coordinators.Select(c => c.Key));
        Assert.All(groups.Coordinators, c => Assert.Equal(((short)0, 0, 9092), (c.ErrorCode, c.NodeId, c.Port)));

        // No transaction coordinator yet.
        var txn = await client.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 1, CoordinatorKeys = ["tx"] }, 4);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, Assert.Single(txn.Coordinators).ErrorCode);
        var share = await client.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 2, CoordinatorKeys = ["s"] }, 5);
        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(share.Coordinators).ErrorCode);
    }

    [Fact]
    public async Task GroupApisAnswerNotCoordinatorBeforeTheOffsetsTopicExists()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        var heartbeat = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m", GenerationId = 1 }, 4);
        Assert.Equal((short)ErrorCode.NotCoordinator, heartbeat.ErrorCode);
    }

    [Fact]
    public async Task JoinSyncHeartbeatCommitFetchAndLeaveWorkOverTheWire()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        await CreateTopicAsync(broker, "events");
        await FindCoordinatorAsync(broker, client, "g");
        (string member, int generation) = await JoinAndSyncAsync(client, "g");

        var heartbeat = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = member, GenerationId = generation }, 4);
        Assert.Equal((short)ErrorCode.None, heartbeat.ErrorCode);

        var commit = await client.RequestAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = generation,
            MemberId = member,
            Topics =
            [
                new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = "events",
                    Partitions =
                    [
                        new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 15, CommittedLeaderEpoch = 0, CommittedMetadata = "m" },
                        new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 9, CommittedOffset = 1 },
                    ],
                },
                new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = "no-such-topic",
                    Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }],
                },
            ],
        }, 8);
        Assert.Equal((short)ErrorCode.None, commit.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, commit.Topics[0].Partitions[1].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(commit.Topics[1].Partitions).ErrorCode);

        // v7: one group, top-level error; v1: no top-level error; v8: several groups.
        var fetch7 = await client.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "g",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "events", PartitionIndexes = [0, 1] }],
            RequireStable = true,
        }, 7);
        Assert.Equal((short)ErrorCode.None, fetch7.ErrorCode);
        OffsetFetchResponse.OffsetFetchResponseTopic fetched = Assert.Single(fetch7.Topics);
        Assert.Equal((15L, 0, "m"), (fetched.Partitions[0].CommittedOffset, fetched.Partitions[0].CommittedLeaderEpoch, fetched.Partitions[0].Metadata));
        Assert.Equal(-1L, fetched.Partitions[1].CommittedOffset);

        var fetch1 = await client.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "g",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "events", PartitionIndexes = [0] }],
        }, 1);
        Assert.Equal(15L, fetch1.Topics[0].Partitions[0].CommittedOffset);

        var fetch8 = await client.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "g", Topics = null },
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "other", Topics = null },
            ],
        }, 8);
        Assert.Equal(15L, fetch8.Groups[0].Topics[0].Partitions[0].CommittedOffset);
        Assert.Empty(fetch8.Groups[1].Topics);

        var leave = await client.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = "g",
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = member }, new LeaveGroupRequest.MemberIdentity { MemberId = "ghost" }],
        }, 5);
        Assert.Equal((short)ErrorCode.None, leave.ErrorCode);
        Assert.Equal([(short)ErrorCode.None, (short)ErrorCode.UnknownMemberId], leave.Members.Select(m => m.ErrorCode));

        // v0–2 carry one member, and its error is the top-level error.
        var leaveOld = await client.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "g", MemberId = member }, 2);
        Assert.Equal((short)ErrorCode.UnknownMemberId, leaveOld.ErrorCode);
    }

    [Fact]
    public async Task BadRequestsGetKafkasErrorsAndTheCoordinatorKeepsServing()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        await CreateTopicAsync(broker, "events");
        await FindCoordinatorAsync(broker, client, "g");

        var emptyId = await client.RequestAsync<JoinGroupResponse>(JoinRequest(""), 5);
        Assert.Equal((short)ErrorCode.InvalidGroupId, emptyId.ErrorCode);
        var noType = await client.RequestAsync<JoinGroupResponse>(JoinRequest("g", protocolType: ""), 5);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, noType.ErrorCode);

        (string member, int generation) = await JoinAndSyncAsync(client, "g");
        var otherType = await client.RequestAsync<JoinGroupResponse>(JoinRequest("g", protocolType: "unknown-protocol-type"), 5);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, otherType.ErrorCode);

        var stale = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = member, GenerationId = generation - 1 }, 4);
        Assert.Equal((short)ErrorCode.IllegalGeneration, stale.ErrorCode);
        var unknown = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "nobody", GenerationId = generation }, 0);
        Assert.Equal((short)ErrorCode.UnknownMemberId, unknown.ErrorCode);
        var emptyHeartbeat = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "", MemberId = member, GenerationId = generation }, 4);
        Assert.Equal((short)ErrorCode.InvalidGroupId, emptyHeartbeat.ErrorCode);

        var syncWithoutProtocol = await client.RequestAsync<SyncGroupResponse>(new SyncGroupRequest { GroupId = "g", GenerationId = generation, MemberId = member }, 5);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, syncWithoutProtocol.ErrorCode);
        var badSession = await client.RequestAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "g2", SessionTimeoutMs = 1, ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = [] }],
        }, 0);
        Assert.Equal((short)ErrorCode.InvalidSessionTimeout, badSession.ErrorCode);

        var staleCommit = await client.RequestAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = generation + 5,
            MemberId = member,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "events", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 2);
        Assert.Equal((short)ErrorCode.IllegalGeneration, staleCommit.Topics[0].Partitions[0].ErrorCode);

        // Still serving.
        var heartbeat = await client.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = member, GenerationId = generation }, 4);
        Assert.Equal((short)ErrorCode.None, heartbeat.ErrorCode);
    }

    [Fact]
    public async Task ListDescribeAndDeleteGroupsShowWhatTheCoordinatorHolds()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        await CreateTopicAsync(broker, "events");
        await FindCoordinatorAsync(broker, client, "live");
        await FindCoordinatorAsync(broker, client, "idle");
        (string member, _) = await JoinAndSyncAsync(client, "live");
        var commit = await client.RequestAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "idle",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "events", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 1, CommittedOffset = 3 }] }],
        }, 0);
        Assert.Equal((short)ErrorCode.None, commit.Topics[0].Partitions[0].ErrorCode);

        var all = await client.RequestAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
        Assert.Equal(["idle", "live"], all.Groups.Select(g => g.GroupId).Order());
        Assert.All(all.Groups, g => Assert.Equal("classic", g.GroupType));
        var stable = await client.RequestAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["stable"] }, 4);
        Assert.Equal(("live", "consumer", "Stable"), (stable.Groups[0].GroupId, stable.Groups[0].ProtocolType, stable.Groups[0].GroupState));
        Assert.Single(stable.Groups);
        var consumerType = await client.RequestAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["consumer"] }, 5);
        Assert.Empty(consumerType.Groups);

        var described = await client.RequestAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["live", "idle", "missing"], IncludeAuthorizedOperations = true }, 5);
        DescribeGroupsResponse.DescribedGroup live = described.Groups[0];
        Assert.Equal(("Stable", "consumer", "range"), (live.GroupState, live.ProtocolType, live.ProtocolData));
        DescribeGroupsResponse.DescribedGroupMember liveMember = Assert.Single(live.Members);
        Assert.Equal((member, "test-client", "/127.0.0.1"), (liveMember.MemberId, liveMember.ClientId, liveMember.ClientHost));
        Assert.Equal([1, 2], liveMember.MemberAssignment);
        Assert.Equal(GroupHarness.Subscription("events"), liveMember.MemberMetadata);
        Assert.NotEqual(int.MinValue, live.AuthorizedOperations);
        Assert.Equal(("Empty", ""), (described.Groups[1].GroupState, described.Groups[1].ProtocolType));
        Assert.Equal(("Dead", (short)0), (described.Groups[2].GroupState, described.Groups[2].ErrorCode));

        var offsetDelete = await client.RequestAsync<OffsetDeleteResponse>(new OffsetDeleteRequest
        {
            GroupId = "live",
            Topics = [new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = "events", Partitions = [new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 0 }] }],
        }, 0);
        Assert.Equal((short)ErrorCode.GroupSubscribedToTopic, offsetDelete.Topics[0].Partitions[0].ErrorCode);

        var deleted = await client.RequestAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["live", "idle", "missing"] }, 2);
        Assert.Equal([(short)ErrorCode.NonEmptyGroup, (short)ErrorCode.None, (short)ErrorCode.GroupIdNotFound], deleted.Results.Select(r => r.ErrorCode));
    }

    [Fact]
    public async Task ApiVersionsAdvertisesTheGroupApisAtKafka39Ranges()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        var response = await client.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        var ranges = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));
        Assert.Equal(((short)0, (short)9), ranges[ApiKey.OffsetCommit]);
        Assert.Equal(((short)0, (short)9), ranges[ApiKey.OffsetFetch]);
        Assert.Equal(((short)0, (short)6), ranges[ApiKey.FindCoordinator]);
        Assert.Equal(((short)0, (short)9), ranges[ApiKey.JoinGroup]);
        Assert.Equal(((short)0, (short)4), ranges[ApiKey.Heartbeat]);
        Assert.Equal(((short)0, (short)5), ranges[ApiKey.LeaveGroup]);
        Assert.Equal(((short)0, (short)5), ranges[ApiKey.SyncGroup]);
        Assert.Equal(((short)0, (short)5), ranges[ApiKey.DescribeGroups]);
        Assert.Equal(((short)0, (short)5), ranges[ApiKey.ListGroups]);
        Assert.Equal(((short)0, (short)2), ranges[ApiKey.DeleteGroups]);
        Assert.Equal(((short)0, (short)0), ranges[ApiKey.OffsetDelete]);
    }

    [Fact]
    public async Task OldestVersionsJoinSyncCommitAndFetch()
    {
        await using TestBroker broker = Start();
        await using TestClient client = broker.Connect();
        await CreateTopicAsync(broker, "events");
        await FindCoordinatorAsync(broker, client, "old");

        // v0: no rebalance timeout, no MEMBER_ID_REQUIRED round trip.
        var joined = await client.RequestAsync<JoinGroupResponse>(JoinRequest("old"), 0);
        Assert.Equal((short)ErrorCode.None, joined.ErrorCode);
        Assert.Equal(("range", 1), (joined.ProtocolName, joined.GenerationId));
        var synced = await client.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = "old",
            GenerationId = 1,
            MemberId = joined.MemberId,
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = joined.MemberId, Assignment = [5] }],
        }, 0);
        Assert.Equal([5], synced.Assignment);

        // v1 carries a commit timestamp per partition.
        var commit = await client.RequestAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "old",
            GenerationIdOrMemberEpoch = 1,
            MemberId = joined.MemberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = "events",
                Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 1, CommittedOffset = 33, CommitTimestamp = 1234, CommittedMetadata = "x" }],
            }],
        }, 1);
        Assert.Equal((short)ErrorCode.None, commit.Topics[0].Partitions[0].ErrorCode);

        var fetched = await client.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "old",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "events", PartitionIndexes = [1] }],
        }, 0);
        Assert.Equal((33L, "x"), (fetched.Topics[0].Partitions[0].CommittedOffset, fetched.Topics[0].Partitions[0].Metadata));

        var described = await client.RequestAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["old"] }, 0);
        Assert.Equal("Stable", described.Groups[0].GroupState);
        var listed = await client.RequestAsync<ListGroupsResponse>(new ListGroupsRequest(), 0);
        Assert.Equal(("old", "consumer"), (listed.Groups[0].GroupId, listed.Groups[0].ProtocolType));
    }
}
