using System.Text;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Confluent;

/// <summary>
/// Confluent.Kafka with enable.idempotence=true (acks=all, up to 5 requests in flight per partition): librdkafka
/// asks for a producer id with InitProducerId and numbers every batch; every message lands exactly once, in order,
/// also when the broker restarts under it.
/// </summary>
public sealed class ConfluentIdempotentProducerTests : IAsyncLifetime
{
    private ServerHost? _host;

    private ServerHost Host => _host!;

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        _host = await ServerHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static ProducerConfig IdempotentConfig(string bootstrap)
    {
        ProducerConfig config = Clients.ProducerConfig(bootstrap, Acks.All);
        config.EnableIdempotence = true;
        config.MaxInFlight = 5;
        config.LingerMs = 2;
        config.BatchNumMessages = 50; // many small batches, so several are in flight per partition
        config.MessageTimeoutMs = 60_000;
        return config;
    }

    private static Message<byte[], byte[]> Numbered(int partition, int i) =>
        new() { Key = Encoding.UTF8.GetBytes($"p{partition}"), Value = Encoding.UTF8.GetBytes($"{partition}:{i:D6}") };

    /// <summary>Every partition holds exactly its messages 0..count-1, once each and in order.</summary>
    private static void AssertExactlyOnceInOrder(string bootstrap, string topic, int partitions, int perPartition)
    {
        for (int p = 0; p < partitions; p++)
        {
            List<ConsumeResult<byte[], byte[]>> read = Clients.ReadToEnd(bootstrap, topic, p);
            string[] expected = [.. Enumerable.Range(0, perPartition).Select(i => $"{p}:{i:D6}")];
            Assert.Equal(expected, read.Select(r => Encoding.UTF8.GetString(r.Message.Value)));
            Assert.Equal(Enumerable.Range(0, perPartition).Select(i => (long)i), read.Select(r => r.Offset.Value));
        }
    }

    /// <summary>
    /// After a clean stop, each partition's producer snapshot (Kafka's format, at the log end) names the producers
    /// librdkafka used: proof the batches carried producer ids and sequences, not that idempotence was ignored.
    /// </summary>
    private List<Storage.Producers.ProducerStateEntry> ProducersAfterStop(string topic, int partition)
    {
        string dir = Path.Combine(Host.DataDir, $"{topic}-{partition}");
        long latest = Storage.Producers.ProducerSnapshotFile.List(dir).Max();
        return Storage.Producers.ProducerSnapshotFile.Read(Storage.Producers.ProducerSnapshotFile.PathFor(dir, latest));
    }

    [Fact]
    public async Task IdempotentProducer_WritesThousandsOfMessagesExactlyOnceInOrder_AcrossPartitions()
    {
        string bootstrap = Host.BootstrapServers;
        string topic = Clients.NewTopicName("idempotent");
        const int partitions = 3, perPartition = 1500;
        await Clients.CreateTopicAsync(bootstrap, topic, partitions);

        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(IdempotentConfig(bootstrap)).Build())
        {
            var sends = new List<Task<DeliveryResult<byte[], byte[]>>>(partitions * perPartition);
            for (int i = 0; i < perPartition; i++)
            {
                for (int p = 0; p < partitions; p++)
                {
                    sends.Add(producer.ProduceAsync(new TopicPartition(topic, p), Numbered(p, i)));
                }
            }

            DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(sends).WaitAsync(Clients.Timeout);
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }

        AssertExactlyOnceInOrder(bootstrap, topic, partitions, perPartition);
        await Host.StopAsync();
        for (int p = 0; p < partitions; p++)
        {
            Storage.Producers.ProducerStateEntry producer = Assert.Single(ProducersAfterStop(topic, p));
            Assert.Equal(perPartition - 1, producer.LastSequence);
            Assert.Equal(perPartition - 1, producer.LastOffset);
        }
    }

    [Fact]
    public async Task IdempotentProducer_LosesAndDuplicatesNothing_WhenTheBrokerRestartsMidRun()
    {
        string bootstrap = Host.BootstrapServers;
        string topic = Clients.NewTopicName("idempotent-restart");
        const int partitions = 2, perPartition = 1500;
        await Clients.CreateTopicAsync(bootstrap, topic, partitions);

        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(IdempotentConfig(bootstrap)).Build())
        {
            var sends = new List<Task<DeliveryResult<byte[], byte[]>>>(partitions * perPartition);
            Task? restart = null;
            for (int i = 0; i < perPartition; i++)
            {
                for (int p = 0; p < partitions; p++)
                {
                    sends.Add(producer.ProduceAsync(new TopicPartition(topic, p), Numbered(p, i)));
                }

                if (i == perPartition / 3)
                {
                    // Restart while batches are in flight: the producer retries them against the restarted broker.
                    restart = Host.RestartAsync();
                }
            }

            await restart!.WaitAsync(ServerHost.StartStopTimeout * 2);
            DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(90));
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }

        AssertExactlyOnceInOrder(bootstrap, topic, partitions, perPartition);
        await Host.StopAsync();
        for (int p = 0; p < partitions; p++)
        {
            Assert.NotEmpty(ProducersAfterStop(topic, p));
        }
    }
}
