using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.DeleteRecords;

/// <summary>DeleteRecords over the wire, and what Fetch sees after it.</summary>
public sealed class DeleteRecordsHandlerTests
{
    [Fact]
    public async Task DeleteRecords_MovesTheLogStart_WhenBelowTheHighWatermark()
    {
        await using TestBroker broker = await FiveRecordsAsync("t");
        await using TestClient client = broker.Connect();

        var deleted = await client.RequestAsync<DeleteRecordsResponse>(Delete("t", 3), 2);
        var below = await client.RequestAsync<FetchResponse>(FetchFrom("t", 0, 1), 11);
        var at = await client.RequestAsync<FetchResponse>(FetchFrom("t", 0, 3), 11);

        DeleteRecordsResponse.DeleteRecordsPartitionResult result = Assert.Single(Assert.Single(deleted.Topics).Partitions);
        Assert.Equal((short)0, result.ErrorCode);
        Assert.Equal(3, result.LowWatermark);
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, Single(below).ErrorCode);
        Assert.Equal(3, Single(at).LogStartOffset);
        Assert.Equal([3L, 4L], Decode(Bytes(Single(at).Records)).Select(r => r.Offset));
    }

    [Fact]
    public async Task DeleteRecords_DeletesUpToTheHighWatermark_WhenTheOffsetIsMinusOne()
    {
        await using TestBroker broker = await FiveRecordsAsync("t");
        await using TestClient client = broker.Connect();

        var deleted = await client.RequestAsync<DeleteRecordsResponse>(Delete("t", -1), 1);

        Assert.Equal(5, deleted.Topics[0].Partitions[0].LowWatermark);
    }

    [Theory]
    [InlineData("t", 6L, ErrorCode.OffsetOutOfRange)]
    [InlineData("missing", 1L, ErrorCode.UnknownTopicOrPartition)]
    [InlineData("compacted", 1L, ErrorCode.PolicyViolation)]
    public async Task DeleteRecords_ReturnsKafkasError_WhenTheRequestCannotBeMet(string topic, long offset, ErrorCode expected)
    {
        await using TestBroker broker = await FiveRecordsAsync("t");
        await CreateTopicAsync(broker, "compacted", 1, ("cleanup.policy", "compact"));
        await using TestClient client = broker.Connect();

        var deleted = await client.RequestAsync<DeleteRecordsResponse>(Delete(topic, offset), 0);

        Assert.Equal((short)expected, deleted.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(-1, deleted.Topics[0].Partitions[0].LowWatermark);
    }

    private static async Task<TestBroker> FiveRecordsAsync(string topic)
    {
        TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, topic);
        await using TestClient client = broker.Connect();
        for (int i = 0; i < 5; i++)
        {
            await client.RequestAsync<ProduceResponse>(ProduceTo(topic, 0, Batch(("k", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))), 9);
        }

        return broker;
    }

    private static DeleteRecordsRequest Delete(string topic, long offset) => new()
    {
        TimeoutMs = 1000,
        Topics = [new DeleteRecordsRequest.DeleteRecordsTopic { Name = topic, Partitions = [new() { PartitionIndex = 0, Offset = offset }] }],
    };
}
