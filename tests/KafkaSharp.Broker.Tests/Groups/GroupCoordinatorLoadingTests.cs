using KafkaSharp.Broker.Groups;
using KafkaSharp.Protocol;
using static KafkaSharp.Broker.Tests.Groups.GroupHarness;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>What groups answer while their __consumer_offsets partition is loading or not led here.</summary>
public sealed class GroupCoordinatorLoadingTests
{
    [Fact]
    public async Task RequestsAnswerAsKafkaDoesWhileThePartitionLoads()
    {
        await using GroupHarness h = await StartAsync();
        int partition = h.Groups.PartitionFor("g");
        Assert.True(h.Groups.Owned.Remove(partition));
        Assert.True(h.Groups.Owned.BeginLoad(partition) > 0);

        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, (await h.Groups.JoinGroupAsync(Join("g"))).Error);
        Assert.Equal(ErrorCode.None, h.Groups.Heartbeat("g", "m", null, 1)); // answered blindly
        Assert.Equal(ErrorCode.RebalanceInProgress, (await h.Groups.SyncGroupAsync("g", 1, "m", null, null, null, new Dictionary<string, byte[]>())).Error);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, h.Groups.FetchOffsets("g", false, null).Error);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, h.Groups.ListGroups([], []).Error);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress,
            (await h.Groups.CommitOffsetsAsync("g", "", null, -1, -1, [new OffsetCommitEntry("t", 0, 1, -1, null, -1)]))[new("t", 0)]);
    }

    [Fact]
    public async Task RequestsAnswerNotCoordinatorWhenThePartitionIsNotLedHere()
    {
        await using GroupHarness h = await StartAsync();
        Assert.True(h.Groups.Owned.Remove(h.Groups.PartitionFor("g")));
        Assert.Equal(ErrorCode.NotCoordinator, (await h.Groups.JoinGroupAsync(Join("g"))).Error);
        Assert.Equal(ErrorCode.NotCoordinator, h.Groups.Heartbeat("g", "m", null, 1));
        Assert.Equal(ErrorCode.NotCoordinator, h.Groups.DescribeGroup("g").Error);
        Assert.Equal(ErrorCode.NotCoordinator, (await h.Groups.DeleteGroupsAsync(["g"]))["g"]);
    }

    [Fact]
    public void OffsetsPartitionsDiscardALoadThatWasGivenUpMeanwhile()
    {
        var owned = new OffsetsPartitions();
        long first = owned.BeginLoad(3);
        Assert.Equal(-1, owned.BeginLoad(3));
        Assert.Equal(OffsetsPartitions.State.Loading, owned.StateOf(3));
        Assert.True(owned.AnyLoading);

        owned.Remove(3);
        long second = owned.BeginLoad(3);
        Assert.False(owned.CompleteLoad(3, first));
        Assert.False(owned.IsCurrentLoad(3, first));
        Assert.True(owned.CompleteLoad(3, second));
        Assert.Equal(OffsetsPartitions.State.Loaded, owned.StateOf(3));
        Assert.Equal(OffsetsPartitions.State.NotOwned, owned.StateOf(4));
    }

    [Fact]
    public async Task StoppingAnswersWaitingJoinsWithNotCoordinator()
    {
        await using GroupHarness h = await StartAsync(new() { ["group.initial.rebalance.delay.ms"] = "60000" });
        Task<JoinResult> waiting = h.Groups.JoinGroupAsync(Join("g"));
        await h.WaitForStateAsync("g", "PreparingRebalance");
        h.Groups.Stop();
        Assert.Equal(ErrorCode.NotCoordinator, (await waiting.WaitAsync(Wait)).Error);
    }
}
