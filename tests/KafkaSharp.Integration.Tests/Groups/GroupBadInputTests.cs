using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Integration.Tests.Groups.RawGroupRequests;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// Group requests Kafka rejects, sent as the generated messages over a raw connection: each gets Kafka's error
/// code, the connection stays usable, and the coordinator goes on serving a real consumer afterwards.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class GroupBadInputTests(GroupServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task JoinGroup_FailsWithInconsistentGroupProtocol_WhenTheProtocolDiffersFromTheGroups()
    {
        string topic = Clients.NewTopicName("bad-protocol");
        string group = GroupMessages.NewGroupName("bad-protocol");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember member = ConfluentGroupMember.Start("member", ConfluentGroupMember.Config(_bootstrap, group), topic, ledger);
        await GroupMembers.WaitForEvenAssignmentAsync([member], partitions: 2);
        int changes = member.AssignmentChanges;

        using RawConnection raw = await RawGroupRequests.ConnectToCoordinatorAsync(server.Host.Port, group);
        // Another protocol type ("connect" instead of the group's "consumer"), then the right type with no assignor
        // in common with the member's "range".
        JoinGroupResponse otherType = await raw.RequestAsync<JoinGroupResponse>(Join(group, "", "connect", "range", topic), JoinVersion);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)otherType.ErrorCode);
        JoinGroupResponse otherAssignor = await raw.RequestAsync<JoinGroupResponse>(Join(group, "", "consumer", "no-such-assignor", topic), JoinVersion);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (ErrorCode)otherAssignor.ErrorCode);

        // The member was not disturbed: no rebalance, and it goes on consuming.
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 2, perPartition: 5);
        await ledger.WaitForCountAsync(10);
        ledger.AssertExactlyOnce(produced);
        Assert.Equal(changes, member.AssignmentChanges);
        await AssertCoordinatorServesAConsumerAsync();
    }

    [Fact]
    public async Task Heartbeat_FailsWithIllegalGeneration_WhenTheGenerationIsStale()
    {
        string topic = Clients.NewTopicName("bad-generation");
        string group = GroupMessages.NewGroupName("bad-generation");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using RawConnection raw = await RawGroupRequests.ConnectToCoordinatorAsync(server.Host.Port, group);

        // KIP-394: a new member without an id is given one and asked to join again with it.
        JoinGroupResponse first = await raw.RequestAsync<JoinGroupResponse>(Join(group, "", "consumer", "range", topic), JoinVersion);
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)first.ErrorCode);
        Assert.NotEmpty(first.MemberId);
        JoinGroupResponse joined = await raw.RequestAsync<JoinGroupResponse>(Join(group, first.MemberId, "consumer", "range", topic), JoinVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)joined.ErrorCode);
        Assert.Equal(first.MemberId, joined.MemberId);
        Assert.Equal(joined.MemberId, joined.Leader);
        Assert.Equal("range", joined.ProtocolName);
        int generation = joined.GenerationId;

        SyncGroupResponse synced = await raw.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = generation,
            MemberId = joined.MemberId,
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = joined.MemberId, Assignment = EmptyAssignment }],
        }, SyncVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)synced.ErrorCode);
        Assert.Equal(EmptyAssignment, synced.Assignment);

        Assert.Equal(ErrorCode.None, await HeartbeatAsync(raw, group, generation, joined.MemberId));
        Assert.Equal(ErrorCode.IllegalGeneration, await HeartbeatAsync(raw, group, generation - 1, joined.MemberId));
        Assert.Equal(ErrorCode.IllegalGeneration, await HeartbeatAsync(raw, group, generation + 1, joined.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, await HeartbeatAsync(raw, group, generation, "no-such-member"));
        OffsetCommitResponse staleCommit = await raw.RequestAsync<OffsetCommitResponse>(Commit(group, generation - 1, joined.MemberId, (topic, 0, 1)), CommitVersion);
        Assert.Equal(ErrorCode.IllegalGeneration, (ErrorCode)staleCommit.Topics[0].Partitions[0].ErrorCode);
        // The member is still in good standing after all that.
        Assert.Equal(ErrorCode.None, await HeartbeatAsync(raw, group, generation, joined.MemberId));

        LeaveGroupResponse left = await raw.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = group,
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = joined.MemberId }],
        }, LeaveVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)left.ErrorCode);
        Assert.Equal(ErrorCode.None, (ErrorCode)Assert.Single(left.Members).ErrorCode);

        await AssertCoordinatorServesAConsumerAsync(group);
    }

    [Fact]
    public async Task Heartbeat_FailsWithFencedInstanceId_WhenAnotherMemberTookTheStaticInstanceId()
    {
        string topic = Clients.NewTopicName("fenced");
        string group = GroupMessages.NewGroupName("fenced");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using RawConnection raw = await RawGroupRequests.ConnectToCoordinatorAsync(server.Host.Port, group);

        // KIP-345: a static member joins without a member id (no MEMBER_ID_REQUIRED round for static members).
        JoinGroupRequest join = Join(group, "", "consumer", "range", topic);
        join.GroupInstanceId = "instance-1";
        JoinGroupResponse first = await raw.RequestAsync<JoinGroupResponse>(join, JoinVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)first.ErrorCode);
        SyncGroupResponse synced = await raw.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = first.GenerationId,
            MemberId = first.MemberId,
            GroupInstanceId = "instance-1",
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = first.MemberId, Assignment = EmptyAssignment }],
        }, SyncVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)synced.ErrorCode);

        // The same instance id joins again (a restarted process): it replaces the old member id.
        JoinGroupResponse second = await raw.RequestAsync<JoinGroupResponse>(join, JoinVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)second.ErrorCode);
        Assert.NotEqual(first.MemberId, second.MemberId);
        Assert.Equal(first.GenerationId, second.GenerationId);

        HeartbeatResponse fenced = await raw.RequestAsync<HeartbeatResponse>(new HeartbeatRequest
        {
            GroupId = group, GenerationId = first.GenerationId, MemberId = first.MemberId, GroupInstanceId = "instance-1",
        }, HeartbeatVersion);
        Assert.Equal(ErrorCode.FencedInstanceId, (ErrorCode)fenced.ErrorCode);
        HeartbeatResponse current = await raw.RequestAsync<HeartbeatResponse>(new HeartbeatRequest
        {
            GroupId = group, GenerationId = second.GenerationId, MemberId = second.MemberId, GroupInstanceId = "instance-1",
        }, HeartbeatVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)current.ErrorCode);

        LeaveGroupResponse left = await raw.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = group,
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = second.MemberId, GroupInstanceId = "instance-1" }],
        }, LeaveVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)Assert.Single(left.Members).ErrorCode);
        await AssertCoordinatorServesAConsumerAsync(group);
    }

    [Fact]
    public async Task OffsetCommit_FailsWithUnknownTopicOrPartition_ForPartitionsThatDoNotExist()
    {
        string topic = Clients.NewTopicName("bad-commit");
        string group = GroupMessages.NewGroupName("bad-commit");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        using RawConnection raw = await RawGroupRequests.ConnectToCoordinatorAsync(server.Host.Port, group);

        // A simple consumer's commit (no generation, no member): the existing partition is committed, the others
        // fail on their own.
        OffsetCommitResponse response = await raw.RequestAsync<OffsetCommitResponse>(
            Commit(group, -1, "", (topic, 0, 5), (topic, 7, 5), (Clients.NewTopicName("no-such-topic"), 0, 5)), CommitVersion);
        var errors = response.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name == topic ? p.PartitionIndex : -1, (ErrorCode)p.ErrorCode))).ToList();
        Assert.Equal([(-1, ErrorCode.UnknownTopicOrPartition), (0, ErrorCode.None), (7, ErrorCode.UnknownTopicOrPartition)], errors.Order());

        OffsetFetchResponse fetched = await raw.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = group,
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = [0, 1] }],
        }, FetchVersion);
        Assert.Equal(ErrorCode.None, (ErrorCode)fetched.ErrorCode);
        Assert.Equal([(0, 5L), (1, -1L)], fetched.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset)).Order());

        // A real consumer of the group starts where the good commit put it.
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 2, perPartition: 8);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember member = ConfluentGroupMember.Start("member", ConfluentGroupMember.Config(_bootstrap, group), topic, ledger);
        await ledger.WaitForCountAsync(11);
        await member.StopAsync();
        ledger.AssertExactlyOnce(produced.Where(m => m.Partition == 1 || m.Offset >= 5));
    }

    [Fact]
    public async Task GroupRequests_FailWithInvalidGroupId_WhenTheGroupIdIsEmpty()
    {
        string topic = Clients.NewTopicName("empty-group-id");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using RawConnection raw = await RawConnection.ConnectAsync(server.Host.Port);

        JoinGroupResponse join = await raw.RequestAsync<JoinGroupResponse>(Join("", "", "consumer", "range", topic), JoinVersion);
        Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)join.ErrorCode);
        SyncGroupResponse sync = await raw.RequestAsync<SyncGroupResponse>(new SyncGroupRequest { GroupId = "", GenerationId = 1, MemberId = "m" }, SyncVersion);
        Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)sync.ErrorCode);
        Assert.Equal(ErrorCode.InvalidGroupId, await HeartbeatAsync(raw, "", 1, "m"));
        LeaveGroupResponse leave = await raw.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = "",
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = "m" }],
        }, LeaveVersion);
        Assert.Equal(ErrorCode.InvalidGroupId, (ErrorCode)leave.ErrorCode);

        await AssertCoordinatorServesAConsumerAsync();
    }

    /// <summary>A real consumer in a fresh (or the given) group joins, reads and commits as usual.</summary>
    private async Task AssertCoordinatorServesAConsumerAsync(string? group = null)
    {
        string topic = Clients.NewTopicName("after-bad-input");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 2, perPartition: 3);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember member = ConfluentGroupMember.Start("check", ConfluentGroupMember.Config(_bootstrap, group ?? GroupMessages.NewGroupName("after-bad-input")), topic, ledger);
        await ledger.WaitForCountAsync(6);
        await member.StopAsync();
        ledger.AssertExactlyOnce(produced);
        Assert.Empty(member.Errors);
    }
}
