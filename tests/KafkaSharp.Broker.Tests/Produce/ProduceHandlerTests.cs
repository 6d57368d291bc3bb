using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.Produce;

/// <summary>Produce over the wire: offsets, acks, LogAppendTime, and every error Kafka answers.</summary>
public sealed class ProduceHandlerTests
{
    public static TheoryData<short> Versions() => [3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Produce_AppendsAndReturnsOffsets_WhenMagic2AtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var first = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, Batch(("a", "1"), ("b", "2"))), version);
        var second = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, Batch(("c", "3"))), version);

        Assert.Equal((short)0, Single(first).ErrorCode);
        Assert.Equal(0, Single(first).BaseOffset);
        Assert.Equal(2, Single(second).BaseOffset);
        Assert.Equal(-1, Single(second).LogAppendTimeMs);
        Assert.Equal(version >= 5 ? 0 : -1, Single(second).LogStartOffset);
        Assert.Equal(3, broker.Broker.Logs.GetLog(new Storage.TopicPartition("t", 0))!.HighWatermark);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public async Task Produce_UpConvertsLegacyMessages_WhenAnOldClientSendsMagic0Or1(short version, byte magic)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "old");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("old", 0, LegacySet(magic, "x", "y")), version);

        Assert.Equal((short)0, Single(response).ErrorCode);
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("old", 0, 0), 4);
        Assert.Equal([("kx", "x", 0L), ("ky", "y", 1L)], Decode(Bytes(Single(fetched).Records)).Select(r => (r.Key, r.Value, r.Offset)));
    }

    [Fact]
    public async Task Produce_ReturnsLogAppendTime_WhenTheTopicUsesLogAppendTime()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "lat", 1, ("message.timestamp.type", "LogAppendTime"));
        await using TestClient client = broker.Connect();
        long before = Now;

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("lat", 0, Batch(CompressionType.None, 1000, ("k", "v"))), 8);

        Assert.InRange(Single(response).LogAppendTimeMs, before, Now);
    }

    [Fact]
    public async Task Produce_ReturnsUnknownTopicOrPartition_WhenTheTopicOrPartitionIsMissing()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var noTopic = await client.RequestAsync<ProduceResponse>(ProduceTo("missing", 0, Batch(("k", "v"))), 9);
        var noPartition = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 5, Batch(("k", "v"))), 9);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Single(noTopic).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Single(noPartition).ErrorCode);
        Assert.False(broker.Broker.Metadata.Current.TryGetTopic("missing", out _));
        Assert.False(string.IsNullOrEmpty(Single(noTopic).ErrorMessage));
    }

    [Theory]
    [InlineData((short)2)]
    [InlineData((short)-2)]
    public async Task Produce_ReturnsInvalidRequiredAcks_WhenAcksIsNotMinusOneZeroOrOne(short acks)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, Batch(("k", "v")), acks), 9);

        Assert.Equal((short)ErrorCode.InvalidRequiredAcks, Single(response).ErrorCode);
        Assert.Equal(0, broker.Broker.Logs.GetLog(new Storage.TopicPartition("t", 0))!.LogEndOffset);
    }

    [Fact]
    public async Task Produce_SendsNoResponse_WhenAcksIsZero()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        client.Send(ProduceTo("t", 0, Batch(("k", "v")), acks: 0), 9);
        var metadata = await client.RequestAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 9);

        Assert.NotNull(metadata); // the next response read is Metadata's: the produce had none
        Assert.Equal(1, broker.Broker.Logs.GetLog(new Storage.TopicPartition("t", 0))!.LogEndOffset);
    }

    [Fact]
    public async Task Produce_ClosesTheConnection_WhenAcksIsZeroAndAPartitionFails()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        client.Send(ProduceTo("missing", 0, Batch(("k", "v")), acks: 0), 9);
        await client.FlushAsync();

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Produce_ReturnsCorruptMessage_WhenTheCrcDoesNotMatch()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();
        byte[] batch = Batch(("k", "v"));
        batch[^1] ^= 0xFF;

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, batch), 9);

        Assert.Equal((short)ErrorCode.CorruptMessage, Single(response).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsMessageTooLarge_WhenABatchExceedsMaxMessageBytes()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "small", 1, ("max.message.bytes", "100"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("small", 0, Batch(("k", new string('x', 200)))), 9);

        Assert.Equal((short)ErrorCode.MessageTooLarge, Single(response).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsRecordListTooLarge_WhenTheSetExceedsSegmentBytes()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "seg", 1, ("segment.bytes", "1048576"), ("max.message.bytes", "4000000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("seg", 0, Batch(("k", new string('x', 1_100_000)))), 9);

        Assert.Equal((short)ErrorCode.RecordListTooLarge, Single(response).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsInvalidRecord_WhenACompactedTopicGetsANullKey()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "compacted", 1, ("cleanup.policy", "compact"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("compacted", 0, Batch(("k", "v"), (null, "v"))), 9);

        Assert.Equal((short)ErrorCode.InvalidRecord, Single(response).ErrorCode);
        Assert.Contains("key", Single(response).ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Assert.Single(Single(response).RecordErrors).BatchIndex); // KIP-467: the second record is the culprit
    }

    [Theory]
    [InlineData((short)3)]
    [InlineData((short)9)]
    public async Task Produce_ReturnsInvalidRecord_WhenV3PlusSendsLegacyMessagesOrTwoBatches(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var legacy = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, LegacySet(1, "x")), version);
        var twoBatches = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, [.. Batch(("a", "1")), .. Batch(("b", "2"))]), version);

        Assert.Equal((short)ErrorCode.InvalidRecord, Single(legacy).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRecord, Single(twoBatches).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsUnsupportedCompressionType_WhenZstdBeforeV7()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, Batch(CompressionType.Zstd, Now, ("k", "v"))), 6);

        Assert.Equal((short)ErrorCode.UnsupportedCompressionType, Single(response).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsInvalidTimestamp_WhenOutsideTheAcceptedRange()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "ts", 1, ("message.timestamp.before.max.ms", "60000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("ts", 0, Batch(CompressionType.None, Now - 3_600_000, ("k", "v"))), 9);

        Assert.Equal((short)ErrorCode.InvalidTimestamp, Single(response).ErrorCode);
        Assert.Equal(0, Assert.Single(Single(response).RecordErrors).BatchIndex);
    }

    [Fact]
    public async Task Produce_ReturnsNotEnoughReplicas_WhenTheIsrIsBelowMinInsyncReplicasForAcksAll()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "safe", 1, ("min.insync.replicas", "2"));
        await using TestClient client = broker.Connect();

        var all = await client.RequestAsync<ProduceResponse>(ProduceTo("safe", 0, Batch(("k", "v")), acks: -1), 9);
        var one = await client.RequestAsync<ProduceResponse>(ProduceTo("safe", 0, Batch(("k", "v")), acks: 1), 9);

        Assert.Equal((short)ErrorCode.NotEnoughReplicas, Single(all).ErrorCode);
        Assert.Equal((short)ErrorCode.None, Single(one).ErrorCode);
    }

    [Fact]
    public async Task Produce_ReturnsInvalidTopic_WhenAClientWritesToAnInternalTopic()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "__consumer_offsets");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("__consumer_offsets", 0, Batch(("k", "v"))), 9);

        Assert.Equal((short)ErrorCode.InvalidTopicException, Single(response).ErrorCode);
    }
    [Fact]
    public async Task Produce_ReturnsNotLeaderOrFollower_WhenThisBrokerDoesNotLead()
    {
        await using TestBroker broker = TestBroker.Start();
        await broker.Broker.Metadata.CreateTopicAsync("elsewhere", [[7]], new Dictionary<string, string>());
        await using TestClient client = broker.Connect();

        var produced = await client.RequestAsync<ProduceResponse>(ProduceTo("elsewhere", 0, Batch(("k", "v"))), 9);
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("elsewhere", 0, 0), 11);

        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, Single(produced).ErrorCode);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, Single(fetched).ErrorCode);
    }
}
