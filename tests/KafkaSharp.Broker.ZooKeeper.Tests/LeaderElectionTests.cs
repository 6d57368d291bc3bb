using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>The controller's per-partition decisions.</summary>
public sealed class LeaderElectionTests
{
    private static readonly HashSet<int> s_none = [];

    private static HashSet<int> Set(params int[] ids) => [.. ids];

    [Fact]
    public void InitialLeaderIsTheFirstLiveReplicaWithAnIsrOfItself()
    {
        LeaderAndIsr state = LeaderElection.Initial([1, 2, 3], Set(2, 3), controllerEpoch: 5)!;
        Assert.Equal(2, state.Leader);
        Assert.Equal([2], state.Isr);
        Assert.Equal(0, state.LeaderEpoch);
        Assert.Equal(5, state.ControllerEpoch);
        Assert.Null(LeaderElection.Initial([1, 2], Set(3), 5));
    }

    [Fact]
    public void ADeadLeaderIsReplacedByTheFirstLiveIsrMemberInAssignmentOrder()
    {
        var current = new LeaderAndIsr(1, 3, [1, 3, 2], 1, 7);
        LeaderAndIsr next = LeaderElection.AfterBrokerChange([1, 2, 3], current, Set(2, 3), s_none, uncleanAllowed: false, controllerEpoch: 2)!;
        Assert.Equal(2, next.Leader);
        Assert.Equal(4, next.LeaderEpoch);
        Assert.Equal([3, 2], next.Isr);
        Assert.Equal(2, next.ControllerEpoch);
        Assert.Equal(7, next.ZkVersion);
    }

    [Fact]
    public void WithoutALiveIsrMemberThePartitionGoesOfflineKeepingItsLastIsrAndReturnsWithIt()
    {
        var current = new LeaderAndIsr(1, 0, [1], 1);
        LeaderAndIsr offline = LeaderElection.AfterBrokerChange([1, 2], current, Set(2), s_none, false, 1)!;
        Assert.Equal(LeaderAndIsr.NoLeader, offline.Leader);
        Assert.Equal([1], offline.Isr);
        Assert.Null(LeaderElection.AfterBrokerChange([1, 2], offline, Set(2), s_none, false, 1));

        LeaderAndIsr back = LeaderElection.AfterBrokerChange([1, 2], offline, Set(1, 2), s_none, false, 1)!;
        Assert.Equal(1, back.Leader);
        Assert.Equal(offline.LeaderEpoch + 1, back.LeaderEpoch);
    }

    [Fact]
    public void UncleanElectionPicksALiveReplicaOutsideTheIsrOnlyWhenAllowed()
    {
        var current = new LeaderAndIsr(1, 0, [1], 1);
        LeaderAndIsr next = LeaderElection.AfterBrokerChange([1, 2], current, Set(2), s_none, uncleanAllowed: true, 1)!;
        Assert.Equal(2, next.Leader);
        Assert.Equal([2], next.Isr);
    }

    [Fact]
    public void ControlledShutdownMovesLeadershipToAnotherIsrMemberOrKeepsIt()
    {
        var shared = new LeaderAndIsr(1, 0, [1, 2], 1);
        LeaderAndIsr moved = LeaderElection.AfterBrokerChange([1, 2], shared, Set(1, 2), Set(1), false, 1)!;
        Assert.Equal(2, moved.Leader);
        Assert.Equal([2], moved.Isr);

        var alone = new LeaderAndIsr(1, 0, [1], 1);
        Assert.Null(LeaderElection.AfterBrokerChange([1, 2], alone, Set(1, 2), Set(1), false, 1));
    }

    [Fact]
    public void DeadFollowersLeaveTheIsr()
    {
        LeaderAndIsr next = LeaderElection.AfterBrokerChange([1, 2, 3], new LeaderAndIsr(1, 2, [1, 2, 3], 1), Set(1, 2), s_none, false, 1)!;
        Assert.Equal(1, next.Leader);
        Assert.Equal([1, 2], next.Isr);
        Assert.Equal(3, next.LeaderEpoch);
    }

    [Fact]
    public void PreferredElectionMovesLeadershipBackOnlyToAnEligibleIsrMember()
    {
        var state = new LeaderAndIsr(2, 1, [2, 1], 1);
        (LeaderAndIsr? next, ErrorCode error) = LeaderElection.Preferred([1, 2], state, Set(1, 2), s_none, 1);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(1, next!.Leader);
        Assert.Equal(ErrorCode.ElectionNotNeeded, LeaderElection.Preferred([2, 1], state, Set(1, 2), s_none, 1).Error);
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, LeaderElection.Preferred([1, 2], new LeaderAndIsr(2, 1, [2], 1), Set(1, 2), s_none, 1).Error);
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, LeaderElection.Preferred([1, 2], state, Set(2), s_none, 1).Error);
    }

    [Fact]
    public void UncleanElectionOnRequestNeedsAnOfflinePartitionAndALiveReplica()
    {
        Assert.Equal(ErrorCode.ElectionNotNeeded, LeaderElection.Unclean([1, 2], new LeaderAndIsr(1, 0, [1], 1), Set(1, 2), s_none, 1).Error);
        Assert.Equal(ErrorCode.EligibleLeadersNotAvailable, LeaderElection.Unclean([1, 2], new LeaderAndIsr(-1, 1, [1], 1), Set(3), s_none, 1).Error);
        Assert.Equal(2, LeaderElection.Unclean([1, 2], new LeaderAndIsr(-1, 1, [1], 1), Set(2), s_none, 1).Next!.Leader);
    }

    [Fact]
    public void CompletingAReassignmentMovesLeadershipIntoTheTarget()
    {
        var state = new LeaderAndIsr(1, 4, [1], 1);
        LeaderAndIsr moved = LeaderElection.CompleteReassignment([3, 4], state, Set(1, 3, 4), s_none, 2)!;
        Assert.Equal(3, moved.Leader);
        Assert.Equal([3], moved.Isr);
        Assert.Equal(5, moved.LeaderEpoch);
        LeaderAndIsr kept = LeaderElection.CompleteReassignment([1, 4], state, Set(1, 4), s_none, 2)!;
        Assert.Equal((1, 5), (kept.Leader, kept.LeaderEpoch));
        Assert.Null(LeaderElection.CompleteReassignment([3, 4], state, Set(1), s_none, 2));
    }
}
