using System.Text;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Confluent;

/// <summary>Confluent.Kafka's producer (librdkafka) against the server, read back with its consumer.</summary>
[Collection(nameof(ServerCollection))]
public sealed class ConfluentProducerTests(ServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;

    public static TheoryData<Acks, CompressionType> AcksAndCodecs()
    {
        var data = new TheoryData<Acks, CompressionType>();
        foreach (Acks acks in new[] { Acks.None, Acks.Leader, Acks.All })
        {
            foreach (CompressionType codec in new[] { CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
            {
                data.Add(acks, codec);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AcksAndCodecs))]
    public async Task Produce_StoresKeysValuesAndHeaders_WhenAcksAndCodecVary(Acks acks, CompressionType codec)
    {
        string topic = Clients.NewTopicName($"produce-{acks}-{codec}".ToLowerInvariant());
        await Clients.CreateTopicAsync(_bootstrap, topic);
        const int count = 300;
        var deliveries = new List<Task<DeliveryResult<byte[], byte[]>>>(count);
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_bootstrap, acks, codec)).Build())
        {
            for (int i = 0; i < count; i++)
            {
                deliveries.Add(producer.ProduceAsync(topic, Message(i)));
            }

            DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(deliveries).WaitAsync(Clients.Timeout);
            Assert.All(results, r => Assert.NotEqual(PersistenceStatus.NotPersisted, r.Status));
            if (acks != Acks.None)
            {
                // With acks the broker assigns offsets, and one producer's messages land in order.
                Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), results.Select(r => r.Offset.Value));
            }
        }

        // acks=0 gets no answer, so its messages are read by count rather than to the end.
        List<ConsumeResult<byte[], byte[]>> read = Clients.ReadCount(_bootstrap, topic, count);
        for (int i = 0; i < count; i++)
        {
            AssertSame(Message(i), read[i].Message);
            Assert.Equal(i, read[i].Offset.Value);
        }

        Assert.Empty(Clients.ReadToEnd(_bootstrap, topic, from: count));
    }

    [Fact]
    public async Task Produce_StoresA1MiBMessage_WhenLimitsAreRaised()
    {
        string topic = Clients.NewTopicName("one-mib");
        await Clients.CreateTopicAsync(_bootstrap, topic, configs: new() { ["max.message.bytes"] = "2097152" });
        byte[] value = Payloads.Value(7, 1024 * 1024);
        ProducerConfig config = Clients.ProducerConfig(_bootstrap);
        config.MessageMaxBytes = 2 * 1024 * 1024;
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            DeliveryResult<byte[], byte[]> result = await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Payloads.Key(7), Value = value }).WaitAsync(Clients.Timeout);
            Assert.Equal(0, result.Offset.Value);
        }

        ConsumeResult<byte[], byte[]> read = Assert.Single(Clients.ReadToEnd(_bootstrap, topic));
        Assert.Equal(value, read.Message.Value);
        Assert.Equal(Payloads.Key(7), read.Message.Key);
    }

    [Fact]
    public async Task Produce_RejectsAMessage_WhenLargerThanTheTopicAllows()
    {
        string topic = Clients.NewTopicName("too-large");
        await Clients.CreateTopicAsync(_bootstrap, topic, configs: new() { ["max.message.bytes"] = "10000" });
        ProducerConfig config = Clients.ProducerConfig(_bootstrap);
        config.MessageMaxBytes = 2 * 1024 * 1024;
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        ProduceException<byte[], byte[]> error = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(
            () => producer.ProduceAsync(topic, new Message<byte[], byte[]> { Value = Payloads.Value(1, 50_000) }).WaitAsync(Clients.Timeout));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
    }

    [Fact]
    public async Task Produce_StoresEveryMessageInOrder_When100kSmallMessagesAreSent()
    {
        string topic = Clients.NewTopicName("many-small");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        const int count = 100_000;
        ProducerConfig config = Clients.ProducerConfig(_bootstrap, Acks.All, CompressionType.Lz4);
        config.LingerMs = 20;
        long delivered = 0;
        long failed = 0;
        var offsets = new long[count];
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            for (int i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Value = SmallValue(i) }, report =>
                {
                    // Handlers run on the background poll thread and, during Flush, on the flushing thread too, so
                    // reports are neither serialised nor in offset order here; the log order is checked below.
                    lock (offsets)
                    {
                        if (report.Error.IsError)
                        {
                            failed++;
                            return;
                        }

                        if (delivered < count)
                        {
                            offsets[delivered] = report.Offset.Value;
                        }

                        delivered++;
                    }
                });
            }

            Assert.Equal(0, producer.Flush(Clients.Timeout));
        }

        Assert.Equal(0, failed);
        Assert.Equal(count, delivered);
        Array.Sort(offsets);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), offsets);

        List<ConsumeResult<byte[], byte[]>> read = Clients.ReadToEnd(_bootstrap, topic);
        Assert.Equal(count, read.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(SmallValue(i), read[i].Message.Value);
        }
    }

    /// <summary>10 bytes: the index in decimal, zero-padded.</summary>
    private static byte[] SmallValue(int i) => Encoding.ASCII.GetBytes(i.ToString("D10"));

    internal static Message<byte[], byte[]> Message(int i) => new()
    {
        Key = i % 10 == 0 ? null! : Payloads.Key(i),
        Value = Payloads.Value(i, 50 + (i % 7) * 100),
        Headers = i % 3 == 0
            ? []
            : [new Header("h1", Encoding.UTF8.GetBytes($"v{i}")), new Header("empty", []), new Header("null", null)],
    };

    internal static void AssertSame(Message<byte[], byte[]> expected, Message<byte[], byte[]> actual)
    {
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(
            expected.Headers.Select(h => (h.Key, Value: h.GetValueBytes())),
            actual.Headers.Select(h => (h.Key, Value: h.GetValueBytes())));
    }
}
