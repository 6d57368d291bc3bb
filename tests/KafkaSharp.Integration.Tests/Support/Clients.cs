using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>Confluent.Kafka clients configured for a test broker, and the waits tests need, all bounded.</summary>
public static class Clients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static ProducerConfig ProducerConfig(string bootstrap, Acks acks = Acks.All, CompressionType compression = CompressionType.None) => new()
    {
        BootstrapServers = bootstrap,
        Acks = acks,
        CompressionType = compression,
        LingerMs = 5,
        // Shorter than every wait, so a failed delivery surfaces as its error rather than as a test timeout.
        MessageTimeoutMs = 20_000,
        // Loopback only: never try an IPv6 address the broker does not listen on.
        BrokerAddressFamily = BrokerAddressFamily.V4,
    };

    /// <summary>
    /// An assign-only consumer: Confluent.Kafka insists on a group.id, but with no Subscribe and no commits the
    /// group is never joined and no offsets are stored.
    /// </summary>
    public static ConsumerConfig ConsumerConfig(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = "kafkasharp-assign-only",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = true,
        AutoOffsetReset = AutoOffsetReset.Error,
        BrokerAddressFamily = BrokerAddressFamily.V4,
    };

    public static IAdminClient Admin(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap, BrokerAddressFamily = BrokerAddressFamily.V4 }).Build();

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions = 1, Dictionary<string, string>? configs = null)
    {
        using IAdminClient admin = Admin(bootstrap);
        await admin.CreateTopicsAsync(
            [new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }],
            new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).WaitAsync(Timeout);
    }

    public static string NewTopicName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>
    /// Reads <paramref name="partition"/> from <paramref name="from"/> until end of partition, returning every
    /// message; fails if the end is not reached in time.
    /// </summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadToEnd(string bootstrap, string topic, int partition = 0, long from = 0, TimeSpan? timeout = null)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(bootstrap)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, from));
        return ReadToEnd(consumer, timeout ?? Timeout);
    }

    public static List<ConsumeResult<byte[], byte[]>> ReadToEnd(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        var messages = new List<ConsumeResult<byte[], byte[]>>();
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            ConsumeResult<byte[], byte[]> result;
            try
            {
                result = consumer.Consume(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"End of partition not reached within {timeout}; read {messages.Count} messages.");
            }

            if (result.IsPartitionEOF)
            {
                return messages;
            }

            messages.Add(result);
        }
    }

    /// <summary>Reads until <paramref name="count"/> messages arrived (for data that may still be in flight).</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadCount(string bootstrap, string topic, int count, int partition = 0, long from = 0)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(bootstrap)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, from));
        var messages = new List<ConsumeResult<byte[], byte[]>>(count);
        using var deadline = new CancellationTokenSource(Timeout);
        while (messages.Count < count)
        {
            ConsumeResult<byte[], byte[]> result;
            try
            {
                result = consumer.Consume(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Read {messages.Count} of {count} messages within {Timeout}.");
            }

            if (!result.IsPartitionEOF)
            {
                messages.Add(result);
            }
        }

        return messages;
    }
}
