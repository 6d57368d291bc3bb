using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// Members from different client libraries in one group: the coordinator only matches protocol names, so clients
/// that call the same assignor by the same name ("range", "roundrobin") share a group whichever of them is the
/// leader that computes the assignment. kafkajs ships its round-robin assignor as "RoundRobinAssigner"; the script
/// registers the same assignor as "roundrobin" (see tests/clients/kafkajs_client.js). kafkajs has no range assignor,
/// so it only takes part in the round-robin group.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class GroupInteropTests(GroupServerFixture server)
{
    private const int SessionTimeoutMs = 6000;

    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task FourClientLibraries_ShareOneRoundRobinGroup_EachMessageReachingOneOfThem()
    {
        string topic = Clients.NewTopicName("interop-roundrobin");
        string group = GroupMessages.NewGroupName("interop-roundrobin");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 8);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember dotnet = ConfluentGroupMember.Start("confluent-dotnet",
            ConfluentGroupMember.Config(_bootstrap, group, PartitionAssignmentStrategy.RoundRobin, SessionTimeoutMs), topic, ledger);
        await using ScriptGroupMember python = ScriptGroupMember.Python("confluent-python", "confluent", _bootstrap, topic, group, "roundrobin", SessionTimeoutMs, ledger);
        await using ScriptGroupMember kafkaPython = ScriptGroupMember.Python("kafka-python", "kafka-python", _bootstrap, topic, group, "roundrobin", SessionTimeoutMs, ledger);
        await using ScriptGroupMember kafkajs = ScriptGroupMember.Kafkajs("kafkajs", _bootstrap, topic, group, SessionTimeoutMs, ledger);
        IGroupMember[] members = [dotnet, python, kafkaPython, kafkajs];

        await GroupMembers.WaitForEvenAssignmentAsync(members, partitions: 8, timeout: TimeSpan.FromSeconds(45));
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 8, perPartition: 6);
        await ledger.WaitForCountAsync(48);

        ledger.AssertExactlyOnce(produced);
        Assert.All(members, m => Assert.True(ledger.CountFor(m.Name) == 12, ledger.Describe()));
        foreach (IGroupMember member in members)
        {
            await member.StopAsync();
        }

        Assert.Empty(dotnet.Errors);
    }

    [Fact]
    public async Task ThreeClientLibraries_ShareOneRangeGroup_AndTakeOverWhenOneLeaves()
    {
        string topic = Clients.NewTopicName("interop-range");
        string group = GroupMessages.NewGroupName("interop-range");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 6);
        var ledger = new GroupLedger();
        await using ConfluentGroupMember dotnet = ConfluentGroupMember.Start("confluent-dotnet",
            ConfluentGroupMember.Config(_bootstrap, group, PartitionAssignmentStrategy.Range, SessionTimeoutMs), topic, ledger);
        await using ScriptGroupMember python = ScriptGroupMember.Python("confluent-python", "confluent", _bootstrap, topic, group, "range", SessionTimeoutMs, ledger);
        await using ScriptGroupMember kafkaPython = ScriptGroupMember.Python("kafka-python", "kafka-python", _bootstrap, topic, group, "range", SessionTimeoutMs, ledger);

        await GroupMembers.WaitForEvenAssignmentAsync([dotnet, python, kafkaPython], partitions: 6, timeout: TimeSpan.FromSeconds(45));
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 5, batch: "first");
        await ledger.WaitForCountAsync(30);

        await kafkaPython.StopAsync();
        await GroupMembers.WaitForEvenAssignmentAsync([dotnet, python], partitions: 6, timeout: TimeSpan.FromSeconds(45));
        produced.AddRange(await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 6, perPartition: 5, batch: "second"));
        await ledger.WaitForCountAsync(60);

        ledger.AssertExactlyOnce(produced);
        Assert.Equal(10, ledger.CountFor("kafka-python"));
        await python.StopAsync();
        Assert.Empty(dotnet.Errors);
    }
}
