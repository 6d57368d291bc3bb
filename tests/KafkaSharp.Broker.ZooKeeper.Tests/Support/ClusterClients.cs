using Confluent.Kafka;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Tests.Support;

/// <summary>Confluent.Kafka helpers with bounded waits, for checks against a cluster.</summary>
public static class ClusterClients
{
    public static async Task ProduceAsync(string bootstrap, string topic, int partition, params string[] values)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, LingerMs = 0, MessageTimeoutMs = 30000 };
        using IProducer<Null, string> producer = new ProducerBuilder<Null, string>(config).Build();
        foreach (string value in values)
        {
            DeliveryResult<Null, string> result = await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<Null, string> { Value = value });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
    }

    /// <summary>Reads <paramref name="count"/> values from the start of the partitions, within 30 s.</summary>
    public static List<string> Consume(string bootstrap, string topic, IEnumerable<int> partitions, int count) =>
        ConsumeUntil(bootstrap, topic, partitions, values => values.Count >= count);

    /// <summary>Reads from the start of the partitions until <paramref name="done"/> holds, for at most 30 s.</summary>
    public static List<string> ConsumeUntil(string bootstrap, string topic, IEnumerable<int> partitions, Func<List<string>, bool> done)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"check-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using IConsumer<Ignore, string> consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, 0)));
        var values = new List<string>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done(values) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                values.Add(record.Message.Value);
            }
        }

        consumer.Close();
        return values;
    }

    public static MetadataResponse.MetadataResponsePartition Partition(MetadataResponse metadata, string topic, int partition) =>
        metadata.Topics.Single(t => t.Name == topic).Partitions.Single(p => p.PartitionIndex == partition);
}
