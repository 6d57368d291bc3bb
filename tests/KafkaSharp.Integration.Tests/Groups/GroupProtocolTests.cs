using System.Diagnostics;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Integration.Tests.Groups.RawGroupRequests;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// Coordinator behaviour no client library lets a test steer, played by hand with the generated messages: a member
/// that does not rejoin within the rebalance timeout is dropped from the new generation, and the batched forms of
/// FindCoordinator (v4) and OffsetFetch (v8) answer every group in one request.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class GroupProtocolTests(GroupServerFixture server)
{
    private const int RebalanceTimeoutMs = 1500;

    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task Rebalance_CompletesWithoutAMemberThatDoesNotRejoin_OnceTheRebalanceTimeoutPassed()
    {
        string topic = Clients.NewTopicName("rebalance-timeout");
        string group = GroupMessages.NewGroupName("rebalance-timeout");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using RawConnection first = await ConnectToCoordinatorAsync(server.Host.Port, group);
        using RawConnection second = await ConnectToCoordinatorAsync(server.Host.Port, group);
        using RawConnection third = await ConnectToCoordinatorAsync(server.Host.Port, group);

        // Generation 1: the first member alone.
        JoinGroupResponse one = await await StartJoinAsNewMemberAsync(first, group, topic, RebalanceTimeoutMs);
        Assert.Equal(ErrorCode.None, (ErrorCode)one.ErrorCode);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await SyncAsync(first, group, one)).ErrorCode);

        // Generation 2: a second member joins; the first learns of the rebalance from its heartbeat and rejoins.
        Task<JoinGroupResponse> secondJoin = await StartJoinAsNewMemberAsync(second, group, topic, RebalanceTimeoutMs);
        await WaitForRebalanceAsync(first, group, one);
        JoinGroupResponse firstRejoined = await first.RequestAsync<JoinGroupResponse>(Join(group, one.MemberId, "consumer", "range", topic, RebalanceTimeoutMs), JoinVersion);
        JoinGroupResponse two = await secondJoin.WaitAsync(RawConnection.Timeout);
        Assert.Equal(ErrorCode.None, (ErrorCode)two.ErrorCode);
        Assert.Equal(firstRejoined.GenerationId, two.GenerationId);
        Assert.Equal(one.GenerationId + 1, two.GenerationId);
        await Task.WhenAll(SyncAsync(first, group, firstRejoined), SyncAsync(second, group, two)).WaitAsync(RawConnection.Timeout);

        // Generation 3: a third member joins; the first rejoins, the second never does. The coordinator waits the
        // rebalance timeout for it, then completes the generation without it.
        var clock = Stopwatch.StartNew();
        Task<JoinGroupResponse> thirdJoin = await StartJoinAsNewMemberAsync(third, group, topic, RebalanceTimeoutMs);
        await WaitForRebalanceAsync(first, group, firstRejoined);
        Assert.Equal(ErrorCode.RebalanceInProgress, await HeartbeatAsync(second, group, two.GenerationId, two.MemberId));
        JoinGroupResponse firstAgain = await first.RequestAsync<JoinGroupResponse>(Join(group, one.MemberId, "consumer", "range", topic, RebalanceTimeoutMs), JoinVersion);
        JoinGroupResponse three = await thirdJoin.WaitAsync(RawConnection.Timeout);
        TimeSpan waited = clock.Elapsed;

        Assert.Equal(ErrorCode.None, (ErrorCode)firstAgain.ErrorCode);
        Assert.Equal(two.GenerationId + 1, three.GenerationId);
        Assert.True(waited >= TimeSpan.FromMilliseconds(RebalanceTimeoutMs - 300), $"completed after {waited.TotalMilliseconds} ms");
        JoinGroupResponse leader = firstAgain.Leader == firstAgain.MemberId ? firstAgain : three;
        Assert.Equal(new[] { one.MemberId, three.MemberId }.Order(), leader.Members.Select(m => m.MemberId).Order());
        Assert.Equal(ErrorCode.UnknownMemberId, await HeartbeatAsync(second, group, two.GenerationId, two.MemberId));
        await Task.WhenAll(SyncAsync(first, group, firstAgain), SyncAsync(third, group, three)).WaitAsync(RawConnection.Timeout);
        Assert.Equal(ErrorCode.None, await HeartbeatAsync(third, group, three.GenerationId, three.MemberId));
    }

    [Fact]
    public async Task BatchedFindCoordinatorAndOffsetFetch_AnswerEveryGroup()
    {
        string topic = Clients.NewTopicName("batched");
        string first = GroupMessages.NewGroupName("batched-1");
        string second = GroupMessages.NewGroupName("batched-2");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        using RawConnection raw = await ConnectToCoordinatorAsync(server.Host.Port, first);

        FindCoordinatorResponse coordinators = await raw.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = [first, second] }, 4);
        Assert.Equal([first, second], coordinators.Coordinators.Select(c => c.Key));
        Assert.All(coordinators.Coordinators, c => Assert.True(c.ErrorCode == 0 && c.Port == server.Host.Port, $"{c.Key}: error {c.ErrorCode}, port {c.Port}"));

        Assert.All((await raw.RequestAsync<OffsetCommitResponse>(Commit(first, -1, "", (topic, 0, 3), (topic, 1, 4)), CommitVersion)).Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
        Assert.All((await raw.RequestAsync<OffsetCommitResponse>(Commit(second, -1, "", (topic, 1, 9)), CommitVersion)).Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));

        // The first group for one named partition, the second for everything it committed (null topics).
        OffsetFetchResponse fetched = await raw.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = first, Topics = [new OffsetFetchRequest.OffsetFetchRequestTopics { Name = topic, PartitionIndexes = [0] }] },
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = second, Topics = null },
            ],
        }, 8);
        Assert.Equal([first, second], fetched.Groups.Select(g => g.GroupId));
        Assert.All(fetched.Groups, g => Assert.Equal(0, g.ErrorCode));
        Assert.Equal([(topic, 0, 3L)], fetched.Groups[0].Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));
        Assert.Equal([(topic, 1, 9L)], fetched.Groups[1].Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));
    }

    /// <summary>Heartbeats until the coordinator reports the rebalance a new member started.</summary>
    private static Task WaitForRebalanceAsync(RawConnection raw, string group, JoinGroupResponse member) =>
        Eventually.TrueAsync(async () => await HeartbeatAsync(raw, group, member.GenerationId, member.MemberId) == ErrorCode.RebalanceInProgress,
            describe: () => "the member's heartbeat never answered REBALANCE_IN_PROGRESS");
}
