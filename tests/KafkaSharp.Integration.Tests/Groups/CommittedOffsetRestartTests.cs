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

    private static ConsumerConfig Config(string bootstrap, string group)
    {
        ConsumerConfig config = ConfluentGroupMember.Config(bootstrap, group);
        config.EnablePartitionEof = true;
        return config;
    }
}
