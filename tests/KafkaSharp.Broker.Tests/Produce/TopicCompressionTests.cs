using System.Text;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;
using Record = KafkaSharp.Protocol.Records.Record;

namespace KafkaSharp.Broker.Tests.Produce;

/// <summary>A topic's compression.type decides the codec batches are stored in, as Kafka's log validator does.</summary>
public sealed class TopicCompressionTests
{
    [Theory]
    [InlineData("gzip", CompressionType.None, CompressionType.Gzip)]
    [InlineData("zstd", CompressionType.Gzip, CompressionType.Zstd)]
    [InlineData("lz4", CompressionType.Snappy, CompressionType.Lz4)]
    [InlineData("snappy", CompressionType.Zstd, CompressionType.Snappy)]
    [InlineData("uncompressed", CompressionType.Lz4, CompressionType.None)]
    [InlineData("producer", CompressionType.Gzip, CompressionType.Gzip)]
    [InlineData("gzip", CompressionType.Gzip, CompressionType.Gzip)]
    public async Task Produce_StoresBatchesInTheTopicsCodec_KeepingEveryRecord(string topicCodec, CompressionType produced, CompressionType stored)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "c", 1, ("compression.type", topicCodec));
        await using TestClient client = broker.Connect();
        await client.RequestAsync<ProduceResponse>(ProduceTo("c", 0, Batch(("a", "1"))), 9);

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("c", 0, Batch(produced, 1234, ("k1", "v1"), (null, "v2"), ("k3", null))), 9);

        Assert.Equal((short)0, Single(response).ErrorCode);
        Assert.Equal(1, Single(response).BaseOffset);
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("c", 0, 1), 12);
        byte[] bytes = Bytes(Single(fetched).Records);
        using RecordBatchReader reader = RecordBatchReader.Open(bytes);
        Assert.Equal(stored, reader.Header.Compression);
        Assert.Equal(1, reader.Header.BaseOffset);
        var records = new List<(string?, string?, long, long, string)>();
        foreach (Record record in reader)
        {
            RecordHeaderEnumerator headers = record.Headers;
            Assert.True(headers.MoveNext());
            records.Add((record.IsKeyNull ? null : Encoding.UTF8.GetString(record.Key), record.IsValueNull ? null : Encoding.UTF8.GetString(record.Value),
                record.Offset, record.Timestamp, Encoding.UTF8.GetString(headers.Current.Value)));
        }

        Assert.Equal([("k1", "v1", 1L, 1234L, "v-v1"), (null, "v2", 2L, 1234L, "v-v2"), ("k3", null, 3L, 1234L, "v-")], records);
    }

    [Fact]
    public async Task Produce_ReturnsCorruptMessage_WhenABatchToRecompressIsCorrupt()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "c", 1, ("compression.type", "gzip"));
        await using TestClient client = broker.Connect();
        byte[] batch = Batch(("k", "v"));
        batch[^1] ^= 0xFF;

        var response = await client.RequestAsync<ProduceResponse>(ProduceTo("c", 0, batch), 9);

        Assert.Equal((short)Protocol.ErrorCode.CorruptMessage, Single(response).ErrorCode);
        var fetched = await client.RequestAsync<FetchResponse>(FetchFrom("c", 0, 0), 12);
        Assert.Equal(0, Single(fetched).HighWatermark);
    }
}
