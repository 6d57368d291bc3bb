using KafkaSharp.Broker.Fetch;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.Fetch;

/// <summary>KIP-227 incremental fetch sessions, over the wire and in the cache.</summary>
public sealed class FetchSessionTests
{
    private const short Version = 12;

    [Fact]
    public async Task Fetch_FollowsTheSession_WhenFullThenIncrementalThenForgotten()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "s", 2);
        await using TestClient client = broker.Connect();
        await client.RequestAsync<ProduceResponse>(ProduceTo("s", 0, Batch(("k", "0"))), 9);

        FetchRequest full = TwoPartitions(sessionId: 0, epoch: 0);
        var first = await client.RequestAsync<FetchResponse>(full, Version);
        Assert.NotEqual(0, first.SessionId);
        Assert.Equal(2, Assert.Single(first.Responses).Partitions.Count);

        // Nothing new: the incremental response is empty.
        var quiet = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId, 1, ("s", 0, 1L)), Version);
        Assert.Equal((short)0, quiet.ErrorCode);
        Assert.Equal(first.SessionId, quiet.SessionId);
        Assert.Empty(quiet.Responses);

        // New data on partition 1 only: only it is sent.
        await client.RequestAsync<ProduceResponse>(ProduceTo("s", 1, Batch(("k", "1"))), 9);
        var changed = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId, 2), Version);
        FetchResponse.PartitionData only = Assert.Single(Assert.Single(changed.Responses).Partitions);
        Assert.Equal(1, only.PartitionIndex);
        Assert.Single(Decode(Bytes(only.Records)));

        // Forget partition 0: new data there is no longer sent.
        FetchRequest forget = Incremental(first.SessionId, 3, ("s", 1, 1L));
        forget.ForgottenTopicsData = [new FetchRequest.ForgottenTopic { Topic = "s", Partitions = [0] }];
        await client.RequestAsync<FetchResponse>(forget, Version);
        await client.RequestAsync<ProduceResponse>(ProduceTo("s", 0, Batch(("k", "2"))), 9);
        var afterForget = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId, 4), Version);
        Assert.Empty(afterForget.Responses);
    }

    [Fact]
    public async Task Fetch_ReturnsSessionErrors_WhenTheIdIsUnknownOrTheEpochIsWrong()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "s", 2);
        await using TestClient client = broker.Connect();
        var first = await client.RequestAsync<FetchResponse>(TwoPartitions(0, 0), Version);

        var wrongEpoch = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId, 5), Version);
        var unknown = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId + 1, 1), Version);

        Assert.Equal((short)ErrorCode.InvalidFetchSessionEpoch, wrongEpoch.ErrorCode);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, unknown.ErrorCode);
        Assert.Equal(0, unknown.SessionId);
        Assert.Empty(unknown.Responses);
    }

    [Fact]
    public async Task Fetch_EvictsTheSmallerSession_WhenTheCacheIsFull()
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["max.incremental.fetch.session.cache.slots"] = "1" });
        await CreateTopicAsync(broker, "s", 2);
        await using TestClient small = broker.Connect();
        await using TestClient large = broker.Connect();
        FetchRequest one = TwoPartitions(0, 0);
        one.Topics[0].Partitions.RemoveAt(1);

        var smallSession = await small.RequestAsync<FetchResponse>(one, Version);
        var largeSession = await large.RequestAsync<FetchResponse>(TwoPartitions(0, 0), Version);
        var smallAgain = await small.RequestAsync<FetchResponse>(Incremental(smallSession.SessionId, 1), Version);
        var thirdTry = await small.RequestAsync<FetchResponse>(one, Version);

        Assert.NotEqual(0, largeSession.SessionId);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, smallAgain.ErrorCode);
        Assert.Equal(0, thirdTry.SessionId); // a smaller session cannot evict a larger, recently used one
    }

    [Fact]
    public async Task Fetch_ClosesTheSession_WhenEpochIsMinusOneWithItsId()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "s", 2);
        await using TestClient client = broker.Connect();
        var first = await client.RequestAsync<FetchResponse>(TwoPartitions(0, 0), Version);

        var closing = await client.RequestAsync<FetchResponse>(TwoPartitions(first.SessionId, -1), Version);
        var after = await client.RequestAsync<FetchResponse>(Incremental(first.SessionId, 1), Version);

        Assert.Equal(0, closing.SessionId);
        Assert.Equal(2, Assert.Single(closing.Responses).Partitions.Count);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, after.ErrorCode);
    }

    [Fact]
    public async Task Fetch_KeysTheSessionByTopicId_WhenV13Plus()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "s", 1);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("s", out KafkaSharp.Broker.Cluster.TopicState? topic));
        await using TestClient client = broker.Connect();
        FetchRequest full = FetchFrom("", 0, 0, topicId: topic.TopicId);
        full.SessionEpoch = 0;

        var first = await client.RequestAsync<FetchResponse>(full, 17);
        await client.RequestAsync<ProduceResponse>(ProduceTo("s", 0, Batch(("k", "v"))), 9);
        var incremental = await client.RequestAsync<FetchResponse>(new FetchRequest { SessionId = first.SessionId, SessionEpoch = 1, MaxBytes = 1 << 20 }, 17);
        var forget = new FetchRequest
        {
            SessionId = first.SessionId,
            SessionEpoch = 2,
            MaxBytes = 1 << 20,
            ForgottenTopicsData = [new FetchRequest.ForgottenTopic { TopicId = topic.TopicId, Partitions = [0] }],
        };
        await client.RequestAsync<ProduceResponse>(ProduceTo("s", 0, Batch(("k", "w"))), 9);
        var forgotten = await client.RequestAsync<FetchResponse>(forget, 17);

        Assert.NotEqual(0, first.SessionId);
        FetchResponse.FetchableTopicResponse changed = Assert.Single(incremental.Responses);
        Assert.Equal(topic.TopicId, changed.TopicId);
        Assert.Single(Decode(Bytes(Assert.Single(changed.Partitions).Records)));
        Assert.Empty(forgotten.Responses);
    }

    [Fact]
    public void TryCreate_EvictsAStaleSession_WhenItWasIdleLongerThanTheEvictionTime()
    {
        var cache = new FetchSessionCache(1);
        FetchPartitionState[] big = [new(new FetchKey(Guid.Empty, "t", 0)), new(new FetchKey(Guid.Empty, "t", 1))];
        FetchSession old = cache.TryCreate(big, nowMs: 0)!;

        Assert.Null(cache.TryCreate([new(new FetchKey(Guid.Empty, "t", 0))], nowMs: FetchSessionCache.EvictionMs - 1));
        FetchSession? created = cache.TryCreate([new(new FetchKey(Guid.Empty, "t", 0))], nowMs: FetchSessionCache.EvictionMs);

        Assert.NotNull(created);
        Assert.Null(cache.Get(old.Id, FetchSessionCache.EvictionMs));
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public void TryCreate_ReturnsNull_WhenSessionsAreDisabled()
    {
        var cache = new FetchSessionCache(0);

        Assert.Null(cache.TryCreate([new(new FetchKey(Guid.Empty, "t", 0))], 0));
    }

    private static FetchRequest TwoPartitions(int sessionId, int epoch)
    {
        FetchRequest request = FetchFrom("s", 0, 0);
        request.Topics[0].Partitions.Add(new FetchRequest.FetchPartition { Partition = 1, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        request.SessionId = sessionId;
        request.SessionEpoch = epoch;
        return request;
    }

    private static FetchRequest Incremental(int sessionId, int epoch, params (string Topic, int Partition, long Offset)[] updates)
    {
        var request = new FetchRequest { SessionId = sessionId, SessionEpoch = epoch, MaxBytes = 1 << 20, MaxWaitMs = 0 };
        foreach ((string topic, int partition, long offset) in updates)
        {
            request.Topics.Add(new FetchRequest.FetchTopic
            {
                Topic = topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = 1 << 20 }],
            });
        }

        return request;
    }
}
