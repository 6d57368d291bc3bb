using System.Text;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// Committed offsets live in <c>__consumer_offsets</c> and are rebuilt from it when the broker restarts: a consumer
/// that comes back in the same group after a restart resumes exactly after its last commit.
/// </summary>
public sealed class CommittedOffsetRestartTests : IAsyncLifetime
{
    private ServerHost? _host;

    private ServerHost Host => _host!;

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        _host = await ServerHost.StartAsync(GroupServerFixture.Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task RestartedConsumer_ResumesAfterItsLastCommit_WhenTheBrokerRestartedInBetween()
    {
        string bootstrap = Host.BootstrapServers;
        string topic = Clients.NewTopicName("restart-offsets");
        string group = GroupMessages.NewGroupName("restart");
        await Clients.CreateTopicAsync(bootstrap, topic, partitions: 2);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(bootstrap, topic, partitions: 2, perPartition: 50);

        // Before the restart: 30 messages of each partition, each committed synchronously after it was read.
        var before = new List<ConsumeResult<byte[], byte[]>>();
        using (IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Config(bootstrap, group)).Build())
        {
            consumer.Subscribe(topic);
            var perPartition = new Dictionary<int, int> { [0] = 0, [1] = 0 };
            using var deadline = new CancellationTokenSource(Clients.Timeout);
            while (perPartition.Values.Any(n => n < 30))
            {
                ConsumeResult<byte[], byte[]> result = consumer.Consume(deadline.Token);
                if (result.IsPartitionEOF || perPartition[result.Partition.Value] == 30)
                {
                    continue;
                }

                before.Add(result);
                perPartition[result.Partition.Value]++;
                consumer.Commit(result);
            }

            consumer.Close();
        }

        await Host.RestartAsync();

        var after = new List<ConsumeResult<byte[], byte[]>>();
        using (IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Config(bootstrap, group)).Build())
        {
            List<TopicPartitionOffset> committed = consumer.Committed([new TopicPartition(topic, 0), new TopicPartition(topic, 1)], Clients.Timeout);
            Assert.Equal([30L, 30L], committed.Select(c => c.Offset.Value));

            consumer.Subscribe(topic);
            using var deadline = new CancellationTokenSource(Clients.Timeout);
            int eofs = 0;
            while (eofs < 2)
            {
                ConsumeResult<byte[], byte[]> result = consumer.Consume(deadline.Token);
                if (result.IsPartitionEOF)
                {
                    eofs++;
                    continue;
                }

                after.Add(result);
            }

            consumer.Close();
        }

        Assert.Equal([30L, 30L], after.GroupBy(r => r.Partition.Value).OrderBy(g => g.Key).Select(g => g.Min(r => r.Offset.Value)));
        var all = before.Concat(after).Select(r => (r.Partition.Value, r.Offset.Value, Encoding.UTF8.GetString(r.Message.Value))).ToList();
        Assert.Equal(produced.Select(m => (m.Partition, m.Offset, m.Value)).Order(), all.Order());
    }

    [Fact]
    public async Task RunningGroup_KeepsItsGenerationAcrossABrokerRestart_WithEveryMessageDeliveredOnce()
    {
        string bootstrap = Host.BootstrapServers;
        string topic = Clients.NewTopicName("restart-live");
        string group = GroupMessages.NewGroupName("restart-live");
        await Clients.CreateTopicAsync(bootstrap, topic, partitions: 4);
        var ledger = new GroupLedger();
        // A session longer than the restart takes: librdkafka gives up its membership itself (and drops its
        // assignment) once session.timeout.ms passes without a heartbeat answer, which is not what is under test.
        await using ConfluentGroupMember a = ConfluentGroupMember.Start("a", ConfluentGroupMember.Config(bootstrap, group, sessionTimeoutMs: 15_000), topic, ledger);
        await using ConfluentGroupMember b = ConfluentGroupMember.Start("b", ConfluentGroupMember.Config(bootstrap, group, sessionTimeoutMs: 15_000), topic, ledger);
        await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 4);
        List<ProducedMessage> produced = await GroupMessages.ProduceAsync(bootstrap, topic, partitions: 4, perPartition: 10, batch: "before");
        await ledger.WaitForCountAsync(40);
        int aChanges = a.AssignmentChanges;
        int bChanges = b.AssignmentChanges;

        // The members stay up while the broker goes away and comes back on the same port and data directory. The
        // coordinator rebuilds the group (members, generation, assignment) and its offsets from __consumer_offsets,
        // so the members' heartbeats and commits go on in the same generation: no rebalance at all.
        await Host.RestartAsync();
        produced.AddRange(await GroupMessages.ProduceAsync(bootstrap, topic, partitions: 4, perPartition: 10, batch: "after"));
        await ledger.WaitForCountAsync(80);

        ledger.AssertExactlyOnce(produced, () => a.History() + "\n" + b.History());
        Assert.True(a.AssignmentChanges == aChanges && b.AssignmentChanges == bChanges, a.History() + "\n" + b.History());
        Assert.DoesNotContain(a.Errors.Concat(b.Errors), e => e.StartsWith("commit", StringComparison.Ordinal));
        await a.StopAsync();
        await b.StopAsync();
    }

    private static ConsumerConfig Config(string bootstrap, string group)
    {
        ConsumerConfig config = ConfluentGroupMember.Config(bootstrap, group);
        config.EnablePartitionEof = true;
        return config;
    }
}
