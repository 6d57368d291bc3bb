using System.Diagnostics;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// The queue pattern with real clients: members of one group split a topic's partitions, and when a member closes
/// or dies its partitions move to the others without a message being processed twice (each offset is committed
/// synchronously after processing) or lost.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class ConsumerGroupRebalanceTests(GroupServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task Members_SplitPartitionsTwoEach_AndACloseHandsItsPartitionsToTheOthers()
    {
        string topic = Clients.NewTopicName("group-close");
        string group = GroupMessages.NewGroupName("close");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 6);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember a = Start("a", group, topic, ledger);
        await using ConfluentGroupMember b = Start("b", group, topic, ledger);
        await using ConfluentGroupMember c = Start("c", group, topic, ledger);

        await GroupMembers.WaitForEvenAssignmentAsync([a, b, c], partitions: 6);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "first");
        await ledger.WaitForCountAsync(60);
        Assert.All([a, b, c], m => Assert.True(ledger.CountFor(m.Name) == 20, ledger.Describe()));

        await c.StopAsync();
        Assert.Equal("revoked", c.Events[^1].Kind);
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 6);
        produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "second"));
        await ledger.WaitForCountAsync(120);

        ledger.AssertExactlyOnce(produced);
        Assert.Equal(20, ledger.CountFor("c"));
        Assert.Empty(a.Errors.Concat(b.Errors).Concat(c.Errors));
    }

    [Fact]
    public async Task KilledMember_IsRemovedAfterItsSessionTimeout_AndItsPartitionsMoveWithoutDuplicates()
    {
        const int sessionTimeoutMs = 2000;
        string topic = Clients.NewTopicName("group-kill");
        string group = GroupMessages.NewGroupName("kill");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 6);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember a = Start("a", group, topic, ledger);
        await using ConfluentGroupMember b = Start("b", group, topic, ledger);
        // confluent_kafka in a child process: SIGKILL ends it with no LeaveGroup, as a crashed host would.
        await using ScriptGroupMember victim = ScriptGroupMember.Python("python", "confluent", _bootstrap, topic, group, "range", sessionTimeoutMs, ledger);

        await GroupMembers.WaitForEvenAssignmentAsync([a, b, victim], partitions: 6);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "first");
        // Every message processed and committed (the script reports after its commit returned): killing it now
        // leaves nothing processed-but-uncommitted, so a redelivery would be the coordinator's fault.
        await ledger.WaitForCountAsync(60);
        Assert.Equal(20, ledger.CountFor("python"));
        int changesBefore = a.AssignmentChanges;

        var sinceKill = Stopwatch.StartNew();
        victim.Kill();
        produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "second"));
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 6, timeout: TimeSpan.FromSeconds(20));
        TimeSpan removedAfter = sinceKill.Elapsed;
        await ledger.WaitForCountAsync(120);

        // The coordinator may only drop a silent member once its session expired (the last heartbeat was at most
        // 100 ms before the kill); a dropped TCP connection alone must not count as leaving.
        Assert.True(removedAfter >= TimeSpan.FromMilliseconds(sessionTimeoutMs - 300), $"rebalanced {removedAfter.TotalMilliseconds} ms after the kill");
        Assert.True(a.AssignmentChanges > changesBefore);
        ledger.AssertExactlyOnce(produced);
        Assert.Empty(a.Errors.Concat(b.Errors));
    }

    [Fact]
    public async Task CooperativeStickyMembers_MoveOnlyThePartitionsThatChangeOwner()
    {
        string topic = Clients.NewTopicName("group-coop");
        string group = GroupMessages.NewGroupName("coop");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 6);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember a = Start("a", group, topic, ledger, PartitionAssignmentStrategy.CooperativeSticky);
        await using ConfluentGroupMember b = Start("b", group, topic, ledger, PartitionAssignmentStrategy.CooperativeSticky);
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 6);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 5, batch: "first");
        await ledger.WaitForCountAsync(30);
        IReadOnlySet<int> aBefore = a.Assignment;
        IReadOnlySet<int> bBefore = b.Assignment;
        int aEvents = a.Events.Count;
        int bEvents = b.Events.Count;

        await using ConfluentGroupMember c = Start("c", group, topic, ledger, PartitionAssignmentStrategy.CooperativeSticky);
        await GroupMembers.WaitForEvenAssignmentAsync([a, b, c], partitions: 6);

        // Sticky: a and b keep two of their three partitions each; cooperative: only the moved one is revoked,
        // the others are never taken away, so a and b never stop consuming them.
        Assert.Subset(new HashSet<int>(aBefore), new HashSet<int>(a.Assignment));
        Assert.Subset(new HashSet<int>(bBefore), new HashSet<int>(b.Assignment));
        Assert.All(a.Events.Skip(aEvents).Concat(b.Events.Skip(bEvents)).Where(e => e.Kind != "assigned"),
            e => Assert.True(e.Kind == "revoked" && e.Partitions.Length <= 1, $"{e.Kind} [{string.Join(",", e.Partitions)}]"));

        produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 5, batch: "second"));
        await ledger.WaitForCountAsync(60);
        aEvents = a.Events.Count;
        await c.StopAsync();
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 6);
        Assert.All(a.Events.Skip(aEvents), e => Assert.Equal("assigned", e.Kind));
        produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 5, batch: "third"));
        await ledger.WaitForCountAsync(90);

        ledger.AssertExactlyOnce(produced);
        Assert.Empty(a.Errors.Concat(b.Errors).Concat(c.Errors));
    }

    [Fact]
    public async Task TwoGroups_EachReceiveEveryMessage_WhenSubscribedToOneTopic()
    {
        string topic = Clients.NewTopicName("pubsub");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 4);
        var first = new GroupLedger();
        var second = new GroupLedger();
        string firstGroup = GroupMessages.NewGroupName("pubsub-1");
        string secondGroup = GroupMessages.NewGroupName("pubsub-2");
        await using ConfluentGroupMember a = Start("a", firstGroup, topic, first);
        await using ConfluentGroupMember b = Start("b", firstGroup, topic, first);
        await using ConfluentGroupMember c = Start("c", secondGroup, topic, second);
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 4);
        await GroupMembers.WaitForEvenAssignmentAsync([c], partitions: 4);

        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 4, perPartition: 15);
        await first.WaitForCountAsync(60);
        await second.WaitForCountAsync(60);

        first.AssertExactlyOnce(produced);
        second.AssertExactlyOnce(produced);
        Assert.True(first.CountFor("a") == 30 && first.CountFor("b") == 30, first.Describe());
    }

    private ConfluentGroupMember Start(string name, string group, string topic, GroupLedger ledger, PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range) =>
        ConfluentGroupMember.Start(name, ConfluentGroupMember.Config(_bootstrap, group, strategy), topic, ledger);
}
