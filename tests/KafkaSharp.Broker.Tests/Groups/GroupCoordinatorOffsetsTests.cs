using KafkaSharp.Broker.Groups;
using KafkaSharp.Protocol;
using static KafkaSharp.Broker.Tests.Groups.GroupHarness;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>Committed offsets: who may commit, metadata limits, retention, deletion, and rebuilding after a restart.</summary>
public sealed class GroupCoordinatorOffsetsTests
{
    private static OffsetCommitEntry Entry(string topic, int partition, long offset, string? metadata = "meta", int leaderEpoch = 3) =>
        new(topic, partition, offset, leaderEpoch, metadata, -1);

    [Fact]
    public async Task SimpleConsumerCommitIsFetchedBackWhenTheGroupDoesNotExist()
    {
        await using GroupHarness h = await StartAsync();
        Dictionary<GroupTopicPartition, ErrorCode> committed = await h.Groups.CommitOffsetsAsync("simple", "", null, -1, -1,
            [Entry("t", 0, 42), Entry("t", 1, 7, metadata: null)]);
        Assert.All(committed.Values, e => Assert.Equal(ErrorCode.None, e));

        (ErrorCode error, List<FetchedOffset> offsets) = h.Groups.FetchOffsets("simple", requireStable: true, [new("t", 0), new("t", 1), new("t", 2)]);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(new FetchedOffset("t", 0, 42, 3, "meta", ErrorCode.None), offsets[0]);
        Assert.Equal(new FetchedOffset("t", 1, 7, 3, "", ErrorCode.None), offsets[1]);
        Assert.Equal(new FetchedOffset("t", 2, -1, -1, "", ErrorCode.None), offsets[2]);

        // null partitions: every committed one.
        Assert.Equal(2, h.Groups.FetchOffsets("simple", false, null).Offsets.Count);
        Assert.Equal("Empty", h.Groups.DescribeGroup("simple").Summary.State);
    }

    [Fact]
    public async Task CommitAnswersOffsetMetadataTooLargeForLongMetadataOnly()
    {
        await using GroupHarness h = await StartAsync(new() { ["offset.metadata.max.bytes"] = "5" });
        Dictionary<GroupTopicPartition, ErrorCode> committed = await h.Groups.CommitOffsetsAsync("g", "", null, -1, -1,
            [Entry("t", 0, 1, metadata: "123456"), Entry("t", 1, 1, metadata: "12345")]);
        Assert.Equal(ErrorCode.OffsetMetadataTooLarge, committed[new("t", 0)]);
        Assert.Equal(ErrorCode.None, committed[new("t", 1)]);
        Assert.Equal(-1, h.Groups.FetchOffsets("g", false, [new("t", 0)]).Offsets[0].Offset);
    }

    [Fact]
    public async Task CommitIsCheckedAgainstMembershipAndGeneration()
    {
        await using GroupHarness h = await StartAsync();
        Assert.Equal(ErrorCode.IllegalGeneration, (await h.Groups.CommitOffsetsAsync("new-group", "m", null, 3, -1, [Entry("t", 0, 1)]))[new("t", 0)]);

        (string a, int generation) = await h.JoinStableAsync("g");
        Assert.Equal(ErrorCode.None, (await h.Groups.CommitOffsetsAsync("g", a, null, generation, -1, [Entry("t", 0, 5)]))[new("t", 0)]);
        Assert.Equal(ErrorCode.IllegalGeneration, (await h.Groups.CommitOffsetsAsync("g", a, null, generation + 1, -1, [Entry("t", 0, 6)]))[new("t", 0)]);
        Assert.Equal(ErrorCode.UnknownMemberId, (await h.Groups.CommitOffsetsAsync("g", "stranger", null, generation, -1, [Entry("t", 0, 6)]))[new("t", 0)]);
        Assert.Equal(ErrorCode.UnknownMemberId, (await h.Groups.CommitOffsetsAsync("g", "", null, -1, -1, [Entry("t", 0, 6)]))[new("t", 0)]);

        // A new member joins: during CompletingRebalance a commit is refused with REBALANCE_IN_PROGRESS.
        Task<JoinResult> b = h.Groups.JoinGroupAsync(Join("g"));
        JoinResult rejoined = await h.Groups.JoinGroupAsync(Join("g", a)).WaitAsync(Wait);
        await b.WaitAsync(Wait);
        Assert.Equal(ErrorCode.RebalanceInProgress,
            (await h.Groups.CommitOffsetsAsync("g", a, null, rejoined.GenerationId, -1, [Entry("t", 0, 7)]))[new("t", 0)]);
        Assert.Equal(5, h.Groups.FetchOffsets("g", false, [new("t", 0)]).Offsets[0].Offset);
    }

    [Fact]
    public async Task OffsetsExpireRetentionAfterTheGroupBecameEmpty()
    {
        await using GroupHarness h = await StartAsync(new() { ["offsets.retention.minutes"] = "1" });
        (string a, int generation) = await h.JoinStableAsync("g", sessionTimeoutMs: 120_000);
        await h.Groups.CommitOffsetsAsync("g", a, null, generation, -1, [Entry("t", 0, 5), Entry("u", 0, 9)]);

        // A Stable consumer group keeps the offsets of topics it subscribes to ("t"), not the others ("u").
        h.Clock.Advance(60_000);
        h.Groups.ExpireOffsets();
        Assert.Equal(5, h.Groups.FetchOffsets("g", false, [new("t", 0)]).Offsets[0].Offset);
        Assert.Equal(-1, h.Groups.FetchOffsets("g", false, [new("u", 0)]).Offsets[0].Offset);

        await h.Groups.LeaveGroupAsync("g", [(a, null)]);
        await h.WaitForStateAsync("g", "Empty");
        h.Clock.Advance(59_999);
        h.Groups.ExpireOffsets();
        Assert.Equal(5, h.Groups.FetchOffsets("g", false, [new("t", 0)]).Offsets[0].Offset);

        h.Clock.Advance(1);
        h.Groups.ExpireOffsets();
        Assert.Empty(h.Groups.FetchOffsets("g", false, null).Offsets);
        Assert.DoesNotContain(h.Groups.ListGroups([], []).Groups, g => g.GroupId == "g");
    }

    [Fact]
    public async Task OffsetWithExplicitRetentionExpiresAtItsOwnTime()
    {
        await using GroupHarness h = await StartAsync();
        await h.Groups.CommitOffsetsAsync("simple", "", null, -1, retentionTimeMs: 5000, [Entry("t", 0, 5)]);
        h.Clock.Advance(4999);
        h.Groups.ExpireOffsets();
        Assert.Equal(5, h.Groups.FetchOffsets("simple", false, [new("t", 0)]).Offsets[0].Offset);
        h.Clock.Advance(1);
        h.Groups.ExpireOffsets();
        Assert.Equal(-1, h.Groups.FetchOffsets("simple", false, [new("t", 0)]).Offsets[0].Offset);
    }

    [Fact]
    public async Task DeleteGroupsRemovesOnlyEmptyGroups()
    {
        await using GroupHarness h = await StartAsync();
        await h.JoinStableAsync("busy");
        await h.Groups.CommitOffsetsAsync("idle", "", null, -1, -1, [Entry("t", 0, 5)]);

        Dictionary<string, ErrorCode> results = await h.Groups.DeleteGroupsAsync(["busy", "idle", "missing"]);
        Assert.Equal(ErrorCode.NonEmptyGroup, results["busy"]);
        Assert.Equal(ErrorCode.None, results["idle"]);
        Assert.Equal(ErrorCode.GroupIdNotFound, results["missing"]);
        Assert.Equal(-1, h.Groups.FetchOffsets("idle", false, [new("t", 0)]).Offsets[0].Offset);
        Assert.Equal("Dead", h.Groups.DescribeGroup("idle").Summary.State);
    }

    [Fact]
    public async Task OffsetDeleteRefusesTopicsALiveConsumerGroupSubscribesTo()
    {
        await using GroupHarness h = await StartAsync();
        (string a, int generation) = await h.JoinStableAsync("g");
        await h.Groups.CommitOffsetsAsync("g", a, null, generation, -1, [Entry("t", 0, 5), Entry("u", 1, 6)]);

        (ErrorCode error, Dictionary<GroupTopicPartition, ErrorCode> partitions) = await h.Groups.DeleteOffsetsAsync("g", [new("t", 0), new("u", 1)]);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(ErrorCode.GroupSubscribedToTopic, partitions[new("t", 0)]);
        Assert.Equal(ErrorCode.None, partitions[new("u", 1)]);
        Assert.Equal(-1, h.Groups.FetchOffsets("g", false, [new("u", 1)]).Offsets[0].Offset);
        Assert.Equal(ErrorCode.GroupIdNotFound, (await h.Groups.DeleteOffsetsAsync("missing", [new("t", 0)])).Error);

        // Another protocol type: the coordinator cannot know what it consumes.
        await h.Groups.JoinGroupAsync(Join("c", protocolType: "connect")).WaitAsync(Wait);
        Assert.Equal(ErrorCode.NonEmptyGroup, (await h.Groups.DeleteOffsetsAsync("c", [new("t", 0)])).Error);
    }

    [Fact]
    public async Task OffsetsAndGroupStateAreRebuiltFromTheLogAfterARestart()
    {
        GroupHarness h = await StartAsync();
        string dir = h.Test.DataDir;
        try
        {
            (string a, int generation) = await h.JoinStableAsync("g", sessionTimeoutMs: 60_000, assignment: [4, 2]);
            await h.Groups.CommitOffsetsAsync("g", a, null, generation, -1, [Entry("t", 0, 10), Entry("t", 1, 11)]);
            await h.Groups.CommitOffsetsAsync("g", a, null, generation, -1, [Entry("t", 0, 12)]);
            await h.Groups.CommitOffsetsAsync("gone", "", null, -1, -1, [Entry("t", 2, 1)]);
            await h.Groups.DeleteGroupsAsync(["gone"]);
            await h.Groups.CommitOffsetsAsync("simple", "", null, -1, -1, [Entry("u", 2, 99)]);

            h = await h.RestartAsync();
            await h.WaitLoadedAsync("g");
            await h.WaitLoadedAsync("simple");
            (ErrorCode error, List<FetchedOffset> offsets) = h.Groups.FetchOffsets("g", false, null);
            Assert.Equal(ErrorCode.None, error);
            Assert.Equal([new FetchedOffset("t", 0, 12, 3, "meta", ErrorCode.None), new FetchedOffset("t", 1, 11, 3, "meta", ErrorCode.None)],
                offsets.OrderBy(o => o.Partition));
            Assert.Equal(99, h.Groups.FetchOffsets("simple", false, [new("u", 2)]).Offsets[0].Offset);
            Assert.Equal("Dead", h.Groups.DescribeGroup("gone").Summary.State);

            GroupSummary summary = h.Groups.DescribeGroup("g").Summary;
            Assert.Equal("Stable", summary.State);
            MemberSummary member = Assert.Single(summary.Members);
            Assert.Equal(a, member.MemberId);
            Assert.Equal([4, 2], member.Assignment);
            Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", a, null, generation));
        }
        finally
        {
            await h.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task OffsetsOfADeletedTopicAreRemovedFromEveryGroup()
    {
        await using GroupHarness h = await StartAsync();
        await h.Groups.CommitOffsetsAsync("a", "", null, -1, -1, [Entry("t", 0, 1), Entry("u", 0, 2)]);
        await h.Groups.CommitOffsetsAsync("b", "", null, -1, -1, [Entry("u", 1, 3)]);
        Assert.True(h.Test.Broker.Metadata.Current.TryGetTopic("u", out var topic));

        (ErrorCode error, _) = await h.Test.Broker.Topics.DeleteTopicAsync(topic);
        Assert.Equal(ErrorCode.None, error);
        DateTime deadline = DateTime.UtcNow + Wait;
        while (h.Groups.FetchOffsets("a", false, null).Offsets.Count != 1 || h.Groups.FetchOffsets("b", false, null).Offsets.Count != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the deleted topic's offsets are still there");
            await Task.Delay(10);
        }

        Assert.Equal("t", Assert.Single(h.Groups.FetchOffsets("a", false, null).Offsets).Topic);
    }
}
