using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.ExternalClients;

/// <summary>
/// Python clients: confluent_kafka (librdkafka) and kafka-python (pure Python, its own protocol code), each
/// producing for Confluent.Kafka to read and reading what Confluent.Kafka produced, with assign-only consumers.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class PythonClientTests(ServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;
    private readonly string _dataDir = server.Host.DataDir;

    [Theory]
    [InlineData("confluent", "all", "gzip", false)]
    [InlineData("confluent", "1", "zstd", false)]
    [InlineData("confluent", "all", "lz4", true)]
    [InlineData("kafka-python", "all", "gzip", false)]
    [InlineData("kafka-python", "1", "none", false)]
    public async Task Produce_StoresMessagesByteForByte_WhenSentByAPythonClient(string library, string acks, string codec, bool idempotent)
    {
        string topic = Clients.NewTopicName($"py-produce-{library}");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        ExternalMessage[] sent = [.. Enumerable.Range(0, 40).Select(i => ExternalMessage.Sample(i, partition: i % 2))];
        string file = ExternalMessage.WriteFile(sent);
        try
        {
            ProcessResult result = await ScriptClients.PythonAsync(library, "produce", _bootstrap, topic, file, acks, codec, idempotent ? "idempotent" : "plain");
            ScriptClients.AssertSucceeded(result);
            List<(int Partition, long Offset)> deliveries = ExternalMessage.ParseDeliveries(result.Stdout);
            Assert.Equal(sent.Select(m => m.Partition), deliveries.Select(d => d.Partition));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), deliveries.Where(d => d.Partition == 0).Select(d => d.Offset));
        }
        finally
        {
            File.Delete(file);
        }

        for (int partition = 0; partition < 2; partition++)
        {
            ExternalMessage[] read = [.. Clients.ReadToEnd(_bootstrap, topic, partition).Select(ExternalMessage.From)];
            ExternalMessage[] expected = [.. sent.Where(m => m.Partition == partition)];
            Assert.Equal(expected.Length, read.Length);
            Assert.All(expected.Zip(read), pair => Assert.True(pair.First.SameAs(pair.Second), $"{pair.First} != {pair.Second}"));
            if (idempotent)
            {
                LogFiles.AssertIdempotentBatches(_dataDir, topic, partition);
            }
        }
    }

    [Theory]
    [InlineData("confluent")]
    [InlineData("kafka-python")]
    public async Task Consume_ReadsMessagesByteForByte_WhenAssignedByAPythonClient(string library)
    {
        string topic = Clients.NewTopicName($"py-consume-{library}");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        ExternalMessage[] sent = [.. Enumerable.Range(0, 30).Select(i => ExternalMessage.Sample(i))];
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_bootstrap, Acks.All, CompressionType.Snappy)).Build())
        {
            foreach (ExternalMessage m in sent)
            {
                await producer.ProduceAsync(new TopicPartition(topic, 0), m.ToConfluent()).WaitAsync(Clients.Timeout);
            }
        }

        // From offset 10: the assignment's explicit offset is honoured.
        ProcessResult result = await ScriptClients.PythonAsync(library, "consume", _bootstrap, topic, "0", "10", "20");
        ScriptClients.AssertSucceeded(result);
        List<(long Offset, ExternalMessage Message)> read = ExternalMessage.ParseLines(result.Stdout);
        Assert.Equal(Enumerable.Range(10, 20).Select(i => (long)i), read.Select(r => r.Offset));
        Assert.All(read, r => Assert.True(sent[(int)r.Offset].SameAs(r.Message), $"offset {r.Offset}: {r.Message}"));
    }
}
