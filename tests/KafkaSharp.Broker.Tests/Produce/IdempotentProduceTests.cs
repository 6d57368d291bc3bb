using System.Buffers;
using System.Text;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.Produce;

/// <summary>InitProducerId and idempotent Produce over the wire, as an idempotent producer drives them.</summary>
public sealed class IdempotentProduceTests
{
    public static TheoryData<short> InitVersions() => [0, 1, 2, 3, 4, 5];

    private static byte[] IdempotentBatch(long producerId, short epoch, int sequence, params string[] values)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence };
        foreach (string value in values)
        {
            builder.Append(Now, null, Encoding.UTF8.GetBytes(value));
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private static InitProducerIdRequest Idempotent() => new() { TransactionalId = null, TransactionTimeoutMs = 60_000 };

    [Theory]
    [MemberData(nameof(InitVersions))]
    public async Task InitProducerId_GivesFreshIdsWithEpochZero_AtEveryVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var first = await client.RequestAsync<InitProducerIdResponse>(Idempotent(), version);
        var second = await client.RequestAsync<InitProducerIdResponse>(Idempotent(), version);

        Assert.Equal((short)0, first.ErrorCode);
        Assert.Equal((short)0, first.ProducerEpoch);
        Assert.Equal(0, first.ProducerId);
        Assert.Equal(1, second.ProducerId);
    }

    [Fact]
    public async Task ApiVersions_AdvertisesInitProducerIdZeroToFive()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        var response = await client.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 1);
        ApiVersionsResponse.ApiVersion api = Assert.Single(response.ApiKeys, k => k.ApiKey == (short)ApiKey.InitProducerId);
        Assert.Equal((0, 5), (api.MinVersion, api.MaxVersion));
    }

    [Fact]
    public async Task InitProducerId_WithCurrentIdAndEpoch_GivesANewIdAsKafkaDoesWithoutTransactionalId()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        var first = await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4);

        var again = await client.RequestAsync<InitProducerIdResponse>(
            new InitProducerIdRequest { TransactionalId = null, ProducerId = first.ProducerId, ProducerEpoch = first.ProducerEpoch }, 4);
        var halfGiven = await client.RequestAsync<InitProducerIdResponse>(
            new InitProducerIdRequest { TransactionalId = null, ProducerId = 5, ProducerEpoch = -1 }, 4);

        Assert.Equal((short)0, again.ErrorCode);
        Assert.NotEqual(first.ProducerId, again.ProducerId);
        Assert.Equal((short)0, again.ProducerEpoch);
        Assert.Equal((short)ErrorCode.InvalidRequest, halfGiven.ErrorCode);
        Assert.Equal(-1, halfGiven.ProducerId);
    }

    [Fact]
    public async Task InitProducerId_WithTransactionalId_SaysNoCoordinatorRatherThanFakingATransaction()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var txn = await client.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 5);
        var empty = await client.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "", TransactionTimeoutMs = 60_000 }, 5);
        var tooLong = await client.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 900_001 }, 5);

        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, txn.ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRequest, empty.ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidTransactionTimeout, tooLong.ErrorCode);
    }

    [Fact]
    public async Task InitProducerId_NeverReusesIdsAcrossRestarts()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long before;
            await using (TestBroker broker = TestBroker.Start(dataDir: dataDir))
            {
                await using TestClient client = broker.Connect();
                before = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;
                await broker.StopAsync();
            }

            await using (TestBroker restarted = TestBroker.Start(dataDir: dataDir))
            {
                await using TestClient client = restarted.Connect();
                long after = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;
                Assert.Equal(0, before);
                Assert.Equal(1000, after); // the next block: the rest of the first one is skipped, as in Kafka
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Produce_RetriedBatchIsAnsweredWithItsFirstOffsetAndStoredOnce()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "idem");
        await using TestClient client = broker.Connect();
        long pid = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;

        var first = await client.RequestAsync<ProduceResponse>(ProduceTo("idem", 0, IdempotentBatch(pid, 0, 0, "a", "b")), 9);
        var second = await client.RequestAsync<ProduceResponse>(ProduceTo("idem", 0, IdempotentBatch(pid, 0, 2, "c")), 9);
        var retry = await client.RequestAsync<ProduceResponse>(ProduceTo("idem", 0, IdempotentBatch(pid, 0, 0, "a", "b")), 9);

        Assert.Equal((0, 0L), (Single(first).ErrorCode, Single(first).BaseOffset));
        Assert.Equal((0, 2L), (Single(second).ErrorCode, Single(second).BaseOffset));
        Assert.Equal((0, 0L), (Single(retry).ErrorCode, Single(retry).BaseOffset));
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("idem", 0, 0), 11);
        Assert.Equal(["a", "b", "c"], Decode(Bytes(Single(fetched).Records)).Select(r => r.Value));
        Assert.Equal(3, Single(fetched).HighWatermark);
    }

    [Fact]
    public async Task Produce_AnswersSequenceAndEpochErrorsPerPartition()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "seq", partitions: 2);
        await using TestClient client = broker.Connect();
        long pid = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;
        await client.RequestAsync<ProduceResponse>(ProduceTo("seq", 0, IdempotentBatch(pid, 1, 0, "a")), 9);

        var gap = await client.RequestAsync<ProduceResponse>(ProduceTo("seq", 0, IdempotentBatch(pid, 1, 5, "x")), 9);
        var oldEpoch = await client.RequestAsync<ProduceResponse>(ProduceTo("seq", 0, IdempotentBatch(pid, 0, 1, "x")), 9);
        var newEpochNotAtZero = await client.RequestAsync<ProduceResponse>(ProduceTo("seq", 0, IdempotentBatch(pid, 2, 1, "x")), 9);
        var otherPartition = await client.RequestAsync<ProduceResponse>(ProduceTo("seq", 1, IdempotentBatch(pid, 1, 0, "y")), 9);

        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, Single(gap).ErrorCode);
        Assert.Equal(-1, Single(gap).BaseOffset);
        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, Single(oldEpoch).ErrorCode);
        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, Single(newEpochNotAtZero).ErrorCode);
        Assert.Equal((short)0, Single(otherPartition).ErrorCode);
        Assert.Equal(1, broker.Broker.Logs.GetLog(new Storage.TopicPartition("seq", 0))!.LogEndOffset);
    }

    [Fact]
    public async Task Produce_DuplicateIsDetectedAfterARestart()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long pid;
            await using (TestBroker broker = TestBroker.Start(dataDir: dataDir))
            {
                await CreateTopicAsync(broker, "durable");
                await using TestClient client = broker.Connect();
                pid = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;
                await client.RequestAsync<ProduceResponse>(ProduceTo("durable", 0, IdempotentBatch(pid, 0, 0, "a")), 9);
                await client.RequestAsync<ProduceResponse>(ProduceTo("durable", 0, IdempotentBatch(pid, 0, 1, "b")), 9);
                await broker.StopAsync();
            }

            await using (TestBroker restarted = TestBroker.Start(dataDir: dataDir))
            {
                await using TestClient client = restarted.Connect();
                var retry = await client.RequestAsync<ProduceResponse>(ProduceTo("durable", 0, IdempotentBatch(pid, 0, 1, "b")), 9);
                var gap = await client.RequestAsync<ProduceResponse>(ProduceTo("durable", 0, IdempotentBatch(pid, 0, 3, "d")), 9);
                Assert.Equal((0, 1L), (Single(retry).ErrorCode, Single(retry).BaseOffset));
                Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, Single(gap).ErrorCode);
                Assert.Equal(2, restarted.Broker.Logs.GetLog(new Storage.TopicPartition("durable", 0))!.LogEndOffset);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task DescribeProducers_ShowsEachPartitionsProducers()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "described", partitions: 2);
        await using TestClient client = broker.Connect();
        long pid = (await client.RequestAsync<InitProducerIdResponse>(Idempotent(), 4)).ProducerId;
        await client.RequestAsync<ProduceResponse>(ProduceTo("described", 0, IdempotentBatch(pid, 0, 0, "a", "b", "c")), 9);

        var response = await client.RequestAsync<DescribeProducersResponse>(new DescribeProducersRequest
        {
            Topics = [new DescribeProducersRequest.TopicRequest { Name = "described", PartitionIndexes = [0, 1, 7] }],
        }, 0);

        List<DescribeProducersResponse.PartitionResponse> partitions = Assert.Single(response.Topics).Partitions;
        DescribeProducersResponse.ProducerState producer = Assert.Single(partitions[0].ActiveProducers);
        Assert.Equal((pid, 0, 2, -1L), (producer.ProducerId, producer.ProducerEpoch, producer.LastSequence, producer.CurrentTxnStartOffset));
        Assert.Empty(partitions[1].ActiveProducers);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, partitions[2].ErrorCode);
    }
}
