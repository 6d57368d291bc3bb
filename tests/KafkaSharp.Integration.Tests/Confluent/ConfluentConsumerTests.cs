using System.Text;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Confluent;

/// <summary>Confluent.Kafka's consumer with explicit assignments (no group membership, no commits).</summary>
[Collection(nameof(ServerCollection))]
public sealed class ConfluentConsumerTests(ServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task Consume_ReadsEachPartitionFromItsAssignedOffset_WhenAssignedExplicitly()
    {
        string topic = Clients.NewTopicName("assign");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 3);
        await ProduceAsync(topic, partitions: 3, perPartition: 20);

        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0), new TopicPartitionOffset(topic, 1, 5), new TopicPartitionOffset(topic, 2, 19)]);
        var byPartition = new Dictionary<int, List<string>> { [0] = [], [1] = [], [2] = [] };
        int eofs = 0;
        using var deadline = new CancellationTokenSource(Clients.Timeout);
        while (eofs < 3)
        {
            ConsumeResult<byte[], byte[]> result = consumer.Consume(deadline.Token);
            if (result.IsPartitionEOF)
            {
                eofs++;
                continue;
            }

            byPartition[result.Partition.Value].Add(Encoding.UTF8.GetString(result.Message.Value));
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"p0-{i}"), byPartition[0]);
        Assert.Equal(Enumerable.Range(5, 15).Select(i => $"p1-{i}"), byPartition[1]);
        Assert.Equal(["p2-19"], byPartition[2]);
    }

    [Fact]
    public async Task Seek_RereadsFromTheNewOffset_WhenSeekingBackwards()
    {
        string topic = Clients.NewTopicName("seek");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        await ProduceAsync(topic, partitions: 1, perPartition: 10);

        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build();
        var partition = new TopicPartition(topic, 0);
        consumer.Assign(new TopicPartitionOffset(partition, 0));
        List<ConsumeResult<byte[], byte[]>> first = Clients.ReadToEnd(consumer, Clients.Timeout);
        Assert.Equal(10, first.Count);

        consumer.Seek(new TopicPartitionOffset(partition, 7));
        List<ConsumeResult<byte[], byte[]>> again = Clients.ReadToEnd(consumer, Clients.Timeout);
        Assert.Equal([7L, 8L, 9L], again.Select(r => r.Offset.Value));
        Assert.Equal("p0-7", Encoding.UTF8.GetString(again[0].Message.Value));
    }

    [Fact]
    public async Task Assign_StartsAtTheEnd_WhenOffsetIsEnd()
    {
        string topic = Clients.NewTopicName("from-end");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        await ProduceAsync(topic, partitions: 1, perPartition: 5);

        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.End));
        Assert.Empty(Clients.ReadToEnd(consumer, Clients.Timeout));

        WatermarkOffsets marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Clients.Timeout);
        Assert.Equal(0, marks.Low.Value);
        Assert.Equal(5, marks.High.Value);
    }

    [Fact]
    public async Task Consume_FailsWithOffsetOutOfRange_WhenAssignedPastTheEndWithoutReset()
    {
        string topic = Clients.NewTopicName("out-of-range");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        await ProduceAsync(topic, partitions: 1, perPartition: 3);

        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 100));
        using var deadline = new CancellationTokenSource(Clients.Timeout);
        ConsumeException error = Assert.Throws<ConsumeException>(() => consumer.Consume(deadline.Token));
        Assert.Equal(ErrorCode.Local_AutoOffsetReset, error.Error.Code);
    }

    private async Task ProduceAsync(string topic, int partitions, int perPartition)
    {
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_bootstrap)).Build();
        var sends = new List<Task>();
        for (int p = 0; p < partitions; p++)
        {
            for (int i = 0; i < perPartition; i++)
            {
                sends.Add(producer.ProduceAsync(new TopicPartition(topic, p), new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes($"p{p}-{i}") }));
            }
        }

        await Task.WhenAll(sends).WaitAsync(Clients.Timeout);
    }
}
