using System.Diagnostics;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Server;

/// <summary>
/// Fetch long polling: a fetch with nothing to return waits up to its max wait, and returns as soon as a produce
/// gives it min bytes.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class LongPollTests(ServerFixture server)
{
    /// <summary>Generous for loopback on a busy 2-core machine (CI runs both metadata modes at once), and still far
    /// below the 10 s waits that a missed wake-up would show.</summary>
    private static readonly TimeSpan s_prompt = TimeSpan.FromSeconds(3);

    private readonly ServerFixture _server = server;

    [Fact]
    public async Task Fetch_WaitsAboutMaxWait_WhenThereIsNothingToReturn()
    {
        string topic = Clients.NewTopicName("idle-fetch");
        await Clients.CreateTopicAsync(_server.BootstrapServers, topic);
        using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);

        var elapsed = Stopwatch.StartNew();
        FetchResponse response = await raw.RequestAsync<FetchResponse>(Fetch(topic, maxWaitMs: 1500), FetchVersion, TimeSpan.FromSeconds(10));
        elapsed.Stop();

        FetchResponse.PartitionData partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal(0, partition.ErrorCode);
        Assert.True(partition.Records is null || partition.Records.Value.IsEmpty);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromMilliseconds(1500) + s_prompt);
    }

    [Fact]
    public async Task Fetch_ReturnsPromptly_WhenAMessageIsProducedMidWait()
    {
        string topic = Clients.NewTopicName("wake-fetch");
        await Clients.CreateTopicAsync(_server.BootstrapServers, topic);
        using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_server.BootstrapServers, Acks.Leader)).Build();
        // Connect the producer first, so the timing below is the broker's, not the client's bootstrap.
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = "warm-up"u8.ToArray() }).WaitAsync(Clients.Timeout);

        Task<FetchResponse> fetching = raw.RequestAsync<FetchResponse>(Fetch(topic, maxWaitMs: 10000, offset: 1), FetchVersion, TimeSpan.FromSeconds(20));
        await Task.Delay(1000);
        Assert.False(fetching.IsCompleted, "the fetch returned before anything was produced");

        var sinceProduce = Stopwatch.StartNew();
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = "wake"u8.ToArray() }).WaitAsync(Clients.Timeout);
        FetchResponse response = await fetching;
        sinceProduce.Stop();

        FetchResponse.PartitionData partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal(0, partition.ErrorCode);
        Assert.True(partition.Records is { IsEmpty: false });
        Assert.True(sinceProduce.Elapsed < s_prompt, $"the fetch answered {sinceProduce.Elapsed} after the produce");
    }

    [Fact]
    public async Task Consume_ReceivesPromptly_WhenAMessageArrivesDuringA10SecondFetchWait()
    {
        string topic = Clients.NewTopicName("wake-consumer");
        await Clients.CreateTopicAsync(_server.BootstrapServers, topic);
        ConsumerConfig config = Clients.ConsumerConfig(_server.BootstrapServers);
        config.FetchWaitMaxMs = 10000;
        config.FetchMinBytes = 1;
        config.EnablePartitionEof = false;
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_server.BootstrapServers, Acks.Leader)).Build();
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = "first"u8.ToArray() }).WaitAsync(Clients.Timeout);
        Assert.Equal("first"u8.ToArray(), consumer.Consume(Clients.Timeout)?.Message.Value);

        // The consumer is now parked in a fetch that may wait 10 s; the next message must end that wait.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(1500)));
        var sinceProduce = Stopwatch.StartNew();
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = "second"u8.ToArray() }).WaitAsync(Clients.Timeout);
        ConsumeResult<byte[], byte[]>? second = consumer.Consume(Clients.Timeout);
        sinceProduce.Stop();

        Assert.Equal("second"u8.ToArray(), second?.Message.Value);
        Assert.True(sinceProduce.Elapsed < s_prompt, $"the consumer got the message {sinceProduce.Elapsed} after the produce");
    }

    /// <summary>v11: what librdkafka 2.0.2 sends (topic names, no session: epoch -1).</summary>
    private const short FetchVersion = 11;

    private static FetchRequest Fetch(string topic, int maxWaitMs, long offset = 0) => new()
    {
        ReplicaId = -1,
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        SessionId = 0,
        SessionEpoch = -1,
        Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, FetchOffset = offset, PartitionMaxBytes = 1024 * 1024 }] }],
    };
}
