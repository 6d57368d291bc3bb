using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// KIP-345 static membership with Confluent.Kafka: a member with <c>group.instance.id</c> that restarts within its
/// session timeout takes its old place, partitions and all, and the other members never rebalance.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class StaticMembershipTests(GroupServerFixture server)
{
    private const int SessionTimeoutMs = 10_000;

    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task RestartedStaticMember_GetsItsPartitionsBack_WithoutRebalancingTheOthers()
    {
        string topic = Clients.NewTopicName("static");
        string group = GroupMessages.NewGroupName("static");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 6);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember a = Start("a", group, topic, ledger);
        await using ConfluentGroupMember b = Start("b", group, topic, ledger);
        ConfluentGroupMember c = Start("c", group, topic, ledger);
        try
        {
            await GroupMembers.WaitForEvenAssignmentAsync([a, b, c], partitions: 6);
            List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "first");
            await ledger.WaitForCountAsync(60);
            // Settle: every member has seen the final generation before the counts are taken.
            await Task.Delay(500);
            int aChanges = a.AssignmentChanges;
            int bChanges = b.AssignmentChanges;
            IReadOnlySet<int> aOwned = a.Assignment;
            IReadOnlySet<int> bOwned = b.Assignment;
            IReadOnlySet<int> cOwned = c.Assignment;

            // librdkafka sends no LeaveGroup for a static member: the coordinator keeps its place for the session.
            await c.StopAsync();
            await using ConfluentGroupMember again = Start("c-again", group, topic, ledger);
            await Eventually.TrueAsync(() => again.Assignment.SetEquals(cOwned), describe: () => GroupMembers.Describe([a, b, again]));
            produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 10, batch: "second"));
            await ledger.WaitForCountAsync(120);

            Assert.Equal(aChanges, a.AssignmentChanges);
            Assert.Equal(bChanges, b.AssignmentChanges);
            Assert.True(aOwned.SetEquals(a.Assignment) && bOwned.SetEquals(b.Assignment), GroupMembers.Describe([a, b, again]));
            // The restarted member resumed exactly after c's last commits.
            Assert.True(ledger.CountFor("c-again") == 20, ledger.Describe());
            ledger.AssertExactlyOnce(produced);
            Assert.Empty(a.Errors.Concat(b.Errors).Concat(c.Errors).Concat(again.Errors));
        }
        finally
        {
            await c.DisposeAsync();
        }
    }

    private ConfluentGroupMember Start(string name, string group, string topic, GroupLedger ledger) =>
        ConfluentGroupMember.Start(name, ConfluentGroupMember.Config(_bootstrap, group, sessionTimeoutMs: SessionTimeoutMs, instanceId: $"{group}-{name[0]}"), topic, ledger);
}
