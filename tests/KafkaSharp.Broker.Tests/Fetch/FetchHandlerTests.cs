using System.Diagnostics;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.Fetch;

/// <summary>Fetch over the wire: round trips, limits, long polling, errors and down-conversion.</summary>
public sealed class FetchHandlerTests
{
    public static TheoryData<short, short> RoundTripVersions()
    {
        var data = new TheoryData<short, short>();
        foreach (short produce in new short[] { 3, 7, 9, 11 })
        {
            foreach (short fetch in new short[] { 4, 11, 12, 13, 17 })
            {
                data.Add(produce, fetch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTripVersions))]
    public async Task Fetch_ReturnsTheProducedBytes_WhenProducedAndFetchedAtTheseVersions(short produceVersion, short fetchVersion)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "rt");
        await using TestClient client = broker.Connect();
        byte[] batch = Batch(CompressionType.Gzip, Now, ("k1", "v1"), (null, "v2"), ("k3", null));

        var produced = await client.RequestAsync<ProduceResponse>(ProduceTo("rt", 0, batch), produceVersion);
        Assert.Equal((short)0, Single(produced).ErrorCode);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("rt", out TopicState? topic));
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom(fetchVersion >= 13 ? "" : "rt", 0, 0, topicId: fetchVersion >= 13 ? topic.TopicId : Guid.Empty), fetchVersion);

        FetchResponse.PartitionData partition = Single(fetched);
        Assert.Equal((short)0, partition.ErrorCode);
        Assert.Equal(3, partition.HighWatermark);
        Assert.Equal(3, partition.LastStableOffset);
        Assert.Equal(fetchVersion >= 5 ? 0 : -1, partition.LogStartOffset); // log_start_offset is v5+
        Assert.Equal(fetchVersion >= 13 ? topic.TopicId : Guid.Empty, Assert.Single(fetched.Responses).TopicId);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, topic.Partitions[0].LeaderEpoch); // the one field the leader sets
        Assert.Equal(batch, Bytes(partition.Records));
    }

    [Theory]
    [InlineData((short)0, (byte)0)]
    [InlineData((short)1, (byte)0)]
    [InlineData((short)2, (byte)1)]
    [InlineData((short)3, (byte)1)]
    public async Task Fetch_DownConvertsToLegacyMessages_WhenTheClientPredatesMagic2(short version, byte magic)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "old");
        await using TestClient client = broker.Connect();
        await client.RequestAsync<ProduceResponse>(ProduceTo("old", 0, Batch(CompressionType.Snappy, Now, ("a", "1"), ("b", "2"))), 7);
        await client.RequestAsync<ProduceResponse>(ProduceTo("old", 0, Batch(("c", "3"))), 7);

        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("old", 0, 0), version);

        Assert.Equal(
            [("a", "1", 0L, magic), ("b", "2", 1L, magic), ("c", "3", 2L, magic)],
            DecodeLegacy(Bytes(Single(fetched).Records)));
    }

    [Fact]
    public async Task Fetch_ReturnsTheFirstBatchWhole_WhenItIsLargerThanPartitionMaxBytes()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "big");
        await using TestClient client = broker.Connect();
        byte[] first = Batch(("k", new string('x', 5000)));
        await client.RequestAsync<ProduceResponse>(ProduceTo("big", 0, first), 9);
        await client.RequestAsync<ProduceResponse>(ProduceTo("big", 0, Batch(("k", "small"))), 9);

        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("big", 0, 0, partitionMaxBytes: 100), 11);

        Assert.Equal(first.Length, Bytes(Single(fetched).Records).Length);
    }

    [Fact]
    public async Task Fetch_StopsAtMaxBytes_WhenMorePartitionsHaveData()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "two", 2);
        await using TestClient client = broker.Connect();
        byte[] batch = Batch(("k", new string('x', 1000)));
        await client.RequestAsync<ProduceResponse>(ProduceTo("two", 0, batch), 9);
        await client.RequestAsync<ProduceResponse>(ProduceTo("two", 1, batch), 9);
        FetchRequest request = FetchFrom("two", 0, 0);
        request.Topics[0].Partitions.Add(new FetchRequest.FetchPartition { Partition = 1, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        request.MaxBytes = batch.Length + 10;

        var fetched = await client.RequestAsync<FetchResponse>(request, 11);

        List<FetchResponse.PartitionData> partitions = Assert.Single(fetched.Responses).Partitions;
        Assert.Equal(batch.Length, Bytes(partitions[0].Records).Length);
        Assert.Empty(Bytes(partitions[1].Records));
    }

    [Fact]
    public async Task Fetch_AnswersWhenAProduceArrives_WhenLongPolling()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "poll");
        await using TestClient consumer = broker.Connect();
        await using TestClient producer = broker.Connect();

        var clock = Stopwatch.StartNew();
        consumer.Send(FetchFrom("poll", 0, 0, maxWaitMs: 5000, minBytes: 1), 11);
        await consumer.FlushAsync();
        Task<(int, IApiMessage)> pending = consumer.ReadResponseAsync(ApiKey.Fetch, 11);
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        await producer.RequestAsync<ProduceResponse>(ProduceTo("poll", 0, Batch(("k", "v"))), 9);
        (_, IApiMessage response) = await pending;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.2), $"took {clock.Elapsed}");
        Assert.Single(Decode(Bytes(Single((FetchResponse)response).Records)));
        Assert.Equal(0, broker.Broker.Replicas.FetchPurgatory.WatchedCount(new Storage.TopicPartition("poll", 0)));
    }

    [Fact]
    public async Task Fetch_WaitsAboutMaxWait_WhenNoDataArrives()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "idle");
        await using TestClient client = broker.Connect();

        var clock = Stopwatch.StartNew();
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("idle", 0, 0, maxWaitMs: 1000, minBytes: 1), 11);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(800), $"took {clock.Elapsed}");
        Assert.Equal((short)0, Single(fetched).ErrorCode);
        Assert.Empty(Bytes(Single(fetched).Records));
    }

    [Fact]
    public async Task Fetch_ReturnsOffsetOutOfRange_WhenTheOffsetIsBeyondTheLogEnd()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("t", 0, 10, maxWaitMs: 5000, minBytes: 1), 11);

        Assert.Equal((short)ErrorCode.OffsetOutOfRange, Single(fetched).ErrorCode);
        Assert.Equal(-1, Single(fetched).HighWatermark);
    }

    [Fact]
    public async Task Fetch_ReturnsUnknownTopicErrors_WhenTheTopicIsMissingByNameOrId()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var byName = await client.RequestAsync<FetchResponse>(FetchFrom("missing", 0, 0), 12);
        var byId = await client.RequestAsync<FetchResponse>(FetchFrom("", 0, 0, topicId: Guid.NewGuid()), 13);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Single(byName).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicId, Single(byId).ErrorCode);
    }

    [Fact]
    public async Task Fetch_ReturnsUnknownLeaderEpoch_WhenTheClientKnowsANewerEpoch()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("t", 0, 0, currentLeaderEpoch: 7), 11);

        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, Single(fetched).ErrorCode);
    }

    [Theory]
    [InlineData(-1, 3, ErrorCode.None)]
    [InlineData(3, 3, ErrorCode.None)]
    [InlineData(2, 3, ErrorCode.FencedLeaderEpoch)]
    [InlineData(4, 3, ErrorCode.UnknownLeaderEpoch)]
    public void CheckLeaderEpoch_ReturnsKip320Error_WhenEpochsDiffer(int requested, int current, ErrorCode expected)
    {
        Assert.Equal(expected, ReplicaManager.CheckLeaderEpoch(requested, current));
    }

    [Fact]
    public async Task Fetch_ReturnsNotLeaderOrFollower_WhenAFollowerFetches()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();
        FetchRequest request = FetchFrom("t", 0, 0);
        request.ReplicaId = 1;

        var fetched = await client.RequestAsync<FetchResponse>(request, 11);

        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, Single(fetched).ErrorCode);
    }
}
