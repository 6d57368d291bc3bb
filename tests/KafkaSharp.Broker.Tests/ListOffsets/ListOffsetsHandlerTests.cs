using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.ListOffsets;

/// <summary>ListOffsets in every mode, and OffsetForLeaderEpoch, over the wire.</summary>
public sealed class ListOffsetsHandlerTests
{
    [Theory]
    [InlineData(-2L, 0L, -1L)]
    [InlineData(-4L, 0L, -1L)]
    [InlineData(-1L, 3L, -1L)]
    [InlineData(-3L, 2L, 3000L)]
    [InlineData(1500L, 1L, 2000L)]
    [InlineData(1000L, 0L, 1000L)]
    [InlineData(3001L, -1L, -1L)]
    [InlineData(-5L, -1L, -1L)]
    public async Task ListOffsets_AnswersKafkasOffset_WhenAskedByMode(long timestamp, long expectedOffset, long expectedTimestamp)
    {
        await using TestBroker broker = await ThreeBatchesAsync();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ListOffsetsResponse>(List("t", timestamp), 9);

        ListOffsetsResponse.ListOffsetsPartitionResponse partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal((short)0, partition.ErrorCode);
        Assert.Equal(expectedOffset, partition.Offset);
        Assert.Equal(expectedTimestamp, partition.Timestamp);
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("t", out TopicState? topic));
        Assert.Equal(expectedOffset >= 0 ? topic.Partitions[0].LeaderEpoch : -1, partition.LeaderEpoch);
    }

    [Theory]
    [InlineData(-1L, 3L)]
    [InlineData(-2L, 0L)]
    public async Task ListOffsets_AnswersOldStyleOffsets_WhenV0(long timestamp, long expected)
    {
        await using TestBroker broker = await ThreeBatchesAsync();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ListOffsetsResponse>(List("t", timestamp), 0);

        Assert.Equal([expected], Assert.Single(Assert.Single(response.Topics).Partitions).OldStyleOffsets);
    }

    [Fact]
    public async Task ListOffsets_ReturnsErrors_WhenTheTopicIsMissingOrTheEpochIsNewer()
    {
        await using TestBroker broker = await ThreeBatchesAsync();
        await using TestClient client = broker.Connect();
        ListOffsetsRequest newer = List("t", -1);
        newer.Topics[0].Partitions[0].CurrentLeaderEpoch = 9;

        var missing = await client.RequestAsync<ListOffsetsResponse>(List("missing", -1), 5);
        var fenced = await client.RequestAsync<ListOffsetsResponse>(newer, 5);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, missing.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, fenced.Topics[0].Partitions[0].ErrorCode);
    }

    [Theory]
    [InlineData(0, 0, 3L)]
    [InlineData(5, -1, -1L)]
    public async Task OffsetForLeaderEpoch_AnswersWhereTheEpochEnds_WhenAsked(int requested, int expectedEpoch, long expectedEnd)
    {
        await using TestBroker broker = await ThreeBatchesAsync();
        await using TestClient client = broker.Connect();
        Assert.True(broker.Broker.Metadata.Current.TryGetTopic("t", out TopicState? topic));
        Assert.Equal(0, topic.Partitions[0].LeaderEpoch);
        var request = new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics = [new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = "t", Partitions = [new() { Partition = 0, LeaderEpoch = requested }] }],
        };

        var response = await client.RequestAsync<OffsetForLeaderEpochResponse>(request, 4);

        OffsetForLeaderEpochResponse.EpochEndOffset result = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal((short)0, result.ErrorCode);
        Assert.Equal((expectedEpoch, expectedEnd), (result.LeaderEpoch, result.EndOffset));
    }

    private static async Task<TestBroker> ThreeBatchesAsync()
    {
        TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "t");
        await using TestClient client = broker.Connect();
        foreach (long timestamp in new long[] { 1000, 2000, 3000 })
        {
            var produced = await client.RequestAsync<ProduceResponse>(ProduceTo("t", 0, Batch(CompressionType.None, timestamp, ("k", "v"))), 9);
            Assert.Equal((short)0, Single(produced).ErrorCode);
        }

        return broker;
    }

    private static ListOffsetsRequest List(string topic, long timestamp) => new()
    {
        ReplicaId = -1,
        Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = topic, Partitions = [new() { PartitionIndex = 0, Timestamp = timestamp }] }],
    };
}
