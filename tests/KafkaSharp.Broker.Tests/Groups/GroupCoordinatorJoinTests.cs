using KafkaSharp.Broker.Groups;
using KafkaSharp.Protocol;
using static KafkaSharp.Broker.Tests.Groups.GroupHarness;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>The join/sync/heartbeat state machine on a manual clock.</summary>
public sealed class GroupCoordinatorJoinTests
{
    [Fact]
    public async Task JoinAsksForMemberIdThenFormsGenerationOneWhenMemberIdRequired()
    {
        await using GroupHarness h = await StartAsync();
        JoinResult first = await h.Groups.JoinGroupAsync(Join("g", requireKnownMemberId: true)).WaitAsync(Wait);
        Assert.Equal(ErrorCode.MemberIdRequired, first.Error);
        Assert.StartsWith("client-", first.MemberId, StringComparison.Ordinal);

        JoinResult joined = await h.Groups.JoinGroupAsync(Join("g", first.MemberId, requireKnownMemberId: true)).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, joined.Error);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal(first.MemberId, joined.LeaderId);
        Assert.Equal("range", joined.ProtocolName);
        Assert.Equal("consumer", joined.ProtocolType);
        Assert.Equal(first.MemberId, Assert.Single(joined.Members!).MemberId);
        Assert.Equal("CompletingRebalance", h.Groups.DescribeGroup("g").Summary.State);

        SyncResult synced = await h.Groups.SyncGroupAsync("g", 1, first.MemberId, null, "consumer", "range",
            new Dictionary<string, byte[]> { [first.MemberId] = [7, 8] }).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, synced.Error);
        Assert.Equal([7, 8], synced.Assignment);

        GroupSummary summary = h.Groups.DescribeGroup("g").Summary;
        Assert.Equal("Stable", summary.State);
        Assert.Equal("range", summary.Protocol);
        Assert.Equal([7, 8], Assert.Single(summary.Members).Assignment);
        Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", first.MemberId, null, 1));
    }

    [Fact]
    public async Task NewMemberTriggersRebalanceAndBothGetTheNextGenerationWhenTheFirstRejoins()
    {
        await using GroupHarness h = await StartAsync();
        (string a, _) = await h.JoinStableAsync("g");

        Task<JoinResult> joiningB = h.Groups.JoinGroupAsync(Join("g", clientId: "b"));
        await h.WaitForStateAsync("g", "PreparingRebalance");
        Assert.False(joiningB.IsCompleted);
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Groups.Heartbeat("g", a, null, 1));

        JoinResult rejoinA = await h.Groups.JoinGroupAsync(Join("g", a)).WaitAsync(Wait);
        JoinResult joinB = await joiningB.WaitAsync(Wait);
        Assert.Equal(2, rejoinA.GenerationId);
        Assert.Equal(2, joinB.GenerationId);
        Assert.Equal(rejoinA.LeaderId, joinB.LeaderId);
        JoinResult leader = rejoinA.LeaderId == a ? rejoinA : joinB;
        JoinResult follower = rejoinA.LeaderId == a ? joinB : rejoinA;
        Assert.Equal(2, leader.Members!.Count);
        Assert.Empty(follower.Members!);

        // The follower waits for the leader's assignment.
        Task<SyncResult> followerSync = h.Groups.SyncGroupAsync("g", 2, follower.MemberId, null, "consumer", "range", new Dictionary<string, byte[]>());
        await Task.Delay(20);
        Assert.False(followerSync.IsCompleted);
        SyncResult leaderSync = await h.Groups.SyncGroupAsync("g", 2, leader.MemberId, null, "consumer", "range", new Dictionary<string, byte[]>
        {
            [leader.MemberId] = [1],
            [follower.MemberId] = [2],
        }).WaitAsync(Wait);
        Assert.Equal([1], leaderSync.Assignment);
        Assert.Equal([2], (await followerSync.WaitAsync(Wait)).Assignment);
        Assert.Equal("Stable", h.Groups.DescribeGroup("g").Summary.State);
    }

    [Fact]
    public async Task MemberIsRemovedWhenItStopsHeartbeatingForTheSessionTimeout()
    {
        await using GroupHarness h = await StartAsync();
        (string a, int generation) = await h.JoinStableAsync("g", sessionTimeoutMs: 1000);

        h.Clock.Advance(800);
        Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", a, null, generation));
        h.Clock.Advance(800);
        Assert.Equal("Stable", h.Groups.DescribeGroup("g").Summary.State);

        h.Clock.Advance(201);
        await h.WaitForStateAsync("g", "Empty");
        Assert.Equal(ErrorCode.UnknownMemberId, h.Groups.Heartbeat("g", a, null, generation));
    }

    [Fact]
    public async Task MembersThatDoNotRejoinAreDroppedWhenTheRebalanceTimeoutEnds()
    {
        await using GroupHarness h = await StartAsync();
        (string a, _) = await h.JoinStableAsync("g", sessionTimeoutMs: 30_000);

        Task<JoinResult> joiningB = h.Groups.JoinGroupAsync(Join("g", clientId: "b", sessionTimeoutMs: 30_000));
        await h.WaitForStateAsync("g", "PreparingRebalance");
        h.Clock.Advance(1999);
        Assert.False(joiningB.IsCompleted);
        h.Clock.Advance(1);
        JoinResult joinB = await joiningB.WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, joinB.Error);
        Assert.Equal(2, joinB.GenerationId);
        Assert.Equal(joinB.MemberId, joinB.LeaderId); // the old leader did not rejoin
        Assert.Equal(joinB.MemberId, Assert.Single(joinB.Members!).MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Groups.Heartbeat("g", a, null, 2));
    }

    [Fact]
    public async Task InitialRebalanceDelayHoldsTheFirstGenerationAndGrowsWhileMembersArrive()
    {
        await using GroupHarness h = await StartAsync(new() { ["group.initial.rebalance.delay.ms"] = "3000" });
        Task<JoinResult> a = h.Groups.JoinGroupAsync(Join("g", rebalanceTimeoutMs: 5000));
        h.Clock.Advance(2999);
        Assert.False(a.IsCompleted);
        Task<JoinResult> b = h.Groups.JoinGroupAsync(Join("g", rebalanceTimeoutMs: 5000));

        // Delay 3000 ends with a new member in: extended by min(3000, 5000 - 3000) = 2000.
        h.Clock.Advance(1);
        await Task.Delay(20);
        Assert.False(a.IsCompleted);
        h.Clock.Advance(1999);
        await Task.Delay(20);
        Assert.False(b.IsCompleted);
        h.Clock.Advance(1);
        Assert.Equal(1, (await a.WaitAsync(Wait)).GenerationId);
        Assert.Equal(1, (await b.WaitAsync(Wait)).GenerationId);
    }

    [Fact]
    public async Task StaticMemberRejoiningGetsItsAssignmentBackWithoutRebalance()
    {
        await using GroupHarness h = await StartAsync();
        JoinResult first = await h.Groups.JoinGroupAsync(Join("g", instanceId: "i1", sessionTimeoutMs: 30_000)).WaitAsync(Wait);
        Assert.StartsWith("i1-", first.MemberId, StringComparison.Ordinal);
        await h.Groups.SyncGroupAsync("g", 1, first.MemberId, "i1", "consumer", "range", new Dictionary<string, byte[]> { [first.MemberId] = [9, 9] }).WaitAsync(Wait);

        // The process restarts: same instance id, no member id.
        JoinResult rejoined = await h.Groups.JoinGroupAsync(Join("g", instanceId: "i1", sessionTimeoutMs: 30_000)).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, rejoined.Error);
        Assert.NotEqual(first.MemberId, rejoined.MemberId);
        Assert.Equal(1, rejoined.GenerationId);
        Assert.True(rejoined.SkipAssignment); // v9+: it leads, but must not assign again
        Assert.Equal("Stable", h.Groups.DescribeGroup("g").Summary.State);

        SyncResult synced = await h.Groups.SyncGroupAsync("g", 1, rejoined.MemberId, "i1", "consumer", "range", new Dictionary<string, byte[]>()).WaitAsync(Wait);
        Assert.Equal([9, 9], synced.Assignment);
        Assert.Equal(ErrorCode.FencedInstanceId, h.Groups.Heartbeat("g", first.MemberId, "i1", 1));
        Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", rejoined.MemberId, "i1", 1));
    }

    [Fact]
    public async Task ProtocolIsTheOneEveryMemberSupportsWhenPreferencesDiffer()
    {
        await using GroupHarness h = await StartAsync(new() { ["group.initial.rebalance.delay.ms"] = "100" });
        byte[] sub = Subscription("t");
        Task<JoinResult> a = h.Groups.JoinGroupAsync(Join("g", protocols: [("range", sub), ("roundrobin", sub)]));
        Task<JoinResult> b = h.Groups.JoinGroupAsync(Join("g", protocols: [("roundrobin", sub), ("range", sub)]));
        Task<JoinResult> c = h.Groups.JoinGroupAsync(Join("g", protocols: [("roundrobin", sub)]));

        // Nothing in common with the others: refused.
        JoinResult d = await h.Groups.JoinGroupAsync(Join("g", protocols: [("sticky", sub)])).WaitAsync(Wait);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, d.Error);

        h.Clock.Advance(100);
        h.Clock.Advance(2000);
        foreach (Task<JoinResult> joined in new[] { a, b, c })
        {
            Assert.Equal("roundrobin", (await joined.WaitAsync(Wait)).ProtocolName);
        }
    }

    [Fact]
    public async Task JoinAnswersKafkasErrorsWhenTheRequestIsInvalid()
    {
        await using GroupHarness h = await StartAsync();
        Assert.Equal(ErrorCode.InvalidGroupId, (await h.Groups.JoinGroupAsync(Join(""))).Error);
        Assert.Equal(ErrorCode.InvalidSessionTimeout, (await h.Groups.JoinGroupAsync(Join("g", sessionTimeoutMs: 50))).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, (await h.Groups.JoinGroupAsync(Join("nope", "made-up-member"))).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await h.Groups.JoinGroupAsync(Join("g", protocolType: ""))).Error);

        (string a, int generation) = await h.JoinStableAsync("g");
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await h.Groups.JoinGroupAsync(Join("g", protocolType: "connect")).WaitAsync(Wait)).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, h.Groups.Heartbeat("g", a, null, generation - 1));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Groups.Heartbeat("g", "someone-else", null, generation));
        Assert.Equal(ErrorCode.InvalidGroupId, h.Groups.Heartbeat("", a, null, generation));
        Assert.Equal(ErrorCode.IllegalGeneration,
            (await h.Groups.SyncGroupAsync("g", generation + 1, a, null, "consumer", "range", new Dictionary<string, byte[]>())).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol,
            (await h.Groups.SyncGroupAsync("g", generation, a, null, "consumer", "roundrobin", new Dictionary<string, byte[]>())).Error);
        Assert.Equal(ErrorCode.UnknownMemberId,
            (await h.Groups.SyncGroupAsync("g", generation, a, "not-registered", "consumer", "range", new Dictionary<string, byte[]>())).Error);
    }

    [Fact]
    public async Task JoinAnswersGroupMaxSizeReachedWhenTheGroupIsFull()
    {
        await using GroupHarness h = await StartAsync(new() { ["group.max.size"] = "1" });
        (string a, int generation) = await h.JoinStableAsync("g");
        JoinResult refused = await h.Groups.JoinGroupAsync(Join("g")).WaitAsync(Wait);
        Assert.Equal(ErrorCode.GroupMaxSizeReached, refused.Error);
        Assert.Equal("", refused.MemberId);
        Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", a, null, generation));
    }

    [Fact]
    public async Task LeaveRemovesMembersByIdAndStaticMembersByInstanceId()
    {
        await using GroupHarness h = await StartAsync();
        (string a, _) = await h.JoinStableAsync("g", instanceId: "i1");

        (ErrorCode error, List<LeaveResult> members) = await h.Groups.LeaveGroupAsync("g", [("", "i1"), ("ghost", null)]);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(ErrorCode.None, members[0].Error);
        Assert.Equal(ErrorCode.UnknownMemberId, members[1].Error);
        await h.WaitForStateAsync("g", "Empty");
        Assert.Equal(ErrorCode.UnknownMemberId, h.Groups.Heartbeat("g", a, null, 1));

        (error, members) = await h.Groups.LeaveGroupAsync("missing-group", [("m", null)]);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(members).Error);
    }

    [Fact]
    public async Task MembersThatDoNotSyncInTimeAreRemovedAndTheGroupRebalances()
    {
        await using GroupHarness h = await StartAsync();
        JoinResult a = await h.Groups.JoinGroupAsync(Join("g", sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 1000)).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, a.Error);
        h.Clock.Advance(1000);
        await h.WaitForStateAsync("g", "Empty");
    }

    [Fact]
    public async Task JoinSentAgainWhileTheFirstWaitsAnswersTheFirst()
    {
        await using GroupHarness h = await StartAsync(new() { ["group.initial.rebalance.delay.ms"] = "1000" });
        JoinResult first = await h.Groups.JoinGroupAsync(Join("g", requireKnownMemberId: true)).WaitAsync(Wait);
        Task<JoinResult> waiting = h.Groups.JoinGroupAsync(Join("g", first.MemberId, requireKnownMemberId: true));
        await h.WaitForStateAsync("g", "PreparingRebalance");
        Task<JoinResult> again = h.Groups.JoinGroupAsync(Join("g", first.MemberId, requireKnownMemberId: true));

        Assert.Equal(ErrorCode.RebalanceInProgress, (await waiting.WaitAsync(Wait)).Error);
        h.Clock.Advance(1000);
        JoinResult joined = await again.WaitAsync(Wait);
        Assert.Equal((ErrorCode.None, 1), (joined.Error, joined.GenerationId));
    }

    [Fact]
    public async Task StaticMemberRejoiningWithAnotherProtocolTriggersARebalance()
    {
        await using GroupHarness h = await StartAsync();
        (string old, _) = await h.JoinStableAsync("g", instanceId: "i1", sessionTimeoutMs: 30_000);

        JoinResult rejoined = await h.Groups.JoinGroupAsync(Join("g", instanceId: "i1", sessionTimeoutMs: 30_000,
            protocols: [("roundrobin", Subscription("t")), ("range", Subscription("t"))])).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, rejoined.Error);
        Assert.NotEqual(old, rejoined.MemberId);
        Assert.Equal(2, rejoined.GenerationId);
        Assert.Equal("roundrobin", rejoined.ProtocolName);
    }
}
