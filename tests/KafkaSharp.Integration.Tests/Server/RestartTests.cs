using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Server;

/// <summary>
/// Everything several clients wrote survives a clean restart on the same data directory, byte for byte: topics,
/// partitions, configs, offsets and records.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private ServerHost? _host;

    private ServerHost Host => _host!;

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        _host = await ServerHost.StartAsync("message.max.bytes=4194304");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_KeepsEveryRecordByteForByte_WhenWrittenByDifferentClients()
    {
        string bootstrap = Host.BootstrapServers;
        string topic = Clients.NewTopicName("restart");
        await Clients.CreateTopicAsync(bootstrap, topic, partitions: 3, configs: new() { ["max.message.bytes"] = "2097152", ["retention.ms"] = "86400000" });

        // Partition 0: Confluent.Kafka, every codec, keys and headers, then a 1 MiB record.
        var expected0 = new List<Message<byte[], byte[]>>();
        foreach (CompressionType codec in new[] { CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
        {
            ProducerConfig config = Clients.ProducerConfig(bootstrap, Acks.All, codec);
            config.MessageMaxBytes = 2 * 1024 * 1024;
            using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build();
            var sends = new List<Task>();
            for (int i = 0; i < 50; i++)
            {
                Message<byte[], byte[]> m = Confluent.ConfluentProducerTests.Message(expected0.Count);
                expected0.Add(m);
                sends.Add(producer.ProduceAsync(new TopicPartition(topic, 0), m));
            }

            if (codec == CompressionType.Zstd)
            {
                var large = new Message<byte[], byte[]> { Key = "large"u8.ToArray(), Value = Payloads.Value(99, 1024 * 1024), Headers = [] };
                expected0.Add(large);
                sends.Add(producer.ProduceAsync(new TopicPartition(topic, 0), large));
            }

            await Task.WhenAll(sends).WaitAsync(Clients.Timeout);
        }

        // Partition 1: kafka-python. Partition 2: kcat.
        ExternalMessage[] expected1 = [.. Enumerable.Range(0, 25).Select(i => ExternalMessage.Sample(i, partition: 1))];
        string file = ExternalMessage.WriteFile(expected1);
        try
        {
            ScriptClients.AssertSucceeded(await ScriptClients.PythonAsync("kafka-python", "produce", bootstrap, topic, file, "all", "gzip"));
        }
        finally
        {
            File.Delete(file);
        }

        string kcatInput = string.Concat(Enumerable.Range(0, 25).Select(i => $"k{i}:kcat value {i}\n"));
        ScriptClients.AssertSucceeded(await ScriptClients.KcatAsync(
            ["-b", bootstrap, "-P", "-t", topic, "-p", "2", "-K", ":", "-z", "lz4", "-X", "broker.address.family=v4"],
            System.Text.Encoding.UTF8.GetBytes(kcatInput)));

        await Host.RestartAsync();

        List<ConsumeResult<byte[], byte[]>> read0 = Clients.ReadToEnd(bootstrap, topic, 0);
        Assert.Equal(expected0.Count, read0.Count);
        for (int i = 0; i < expected0.Count; i++)
        {
            Confluent.ConfluentProducerTests.AssertSame(expected0[i], read0[i].Message);
            Assert.Equal(i, read0[i].Offset.Value);
        }

        ExternalMessage[] read1 = [.. Clients.ReadToEnd(bootstrap, topic, 1).Select(ExternalMessage.From)];
        Assert.Equal(expected1.Length, read1.Length);
        Assert.All(expected1.Zip(read1), p => Assert.True(p.First.SameAs(p.Second), $"{p.First} != {p.Second}"));

        List<ConsumeResult<byte[], byte[]>> read2 = Clients.ReadToEnd(bootstrap, topic, 2);
        Assert.Equal(
            Enumerable.Range(0, 25).Select(i => ($"k{i}", $"kcat value {i}")),
            read2.Select(r => (System.Text.Encoding.UTF8.GetString(r.Message.Key), System.Text.Encoding.UTF8.GetString(r.Message.Value))));

        // Offsets continue where they were, and the topic kept its config.
        using IProducer<byte[], byte[]> after = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(bootstrap)).Build();
        DeliveryResult<byte[], byte[]> next = await after.ProduceAsync(new TopicPartition(topic, 2), new Message<byte[], byte[]> { Value = "after"u8.ToArray() }).WaitAsync(Clients.Timeout);
        Assert.Equal(25, next.Offset.Value);
        using global::Confluent.Kafka.IAdminClient admin = Clients.Admin(bootstrap);
        Assert.Equal(3, Assert.Single(admin.GetMetadata(topic, Clients.Timeout).Topics).Partitions.Count);
        var configs = await admin.DescribeConfigsAsync([new global::Confluent.Kafka.Admin.ConfigResource { Type = global::Confluent.Kafka.Admin.ResourceType.Topic, Name = topic }]).WaitAsync(Clients.Timeout);
        Assert.Equal("86400000", Assert.Single(configs).Entries["retention.ms"].Value);
    }
}
