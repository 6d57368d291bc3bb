using System.Buffers;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// The librdkafka 2.0.2 mock cluster's answers. They are not a real broker's, but they are what these clients
/// accepted, so decoding them checks the response side of the generated messages against outside bytes.
/// </summary>
public class ResponseVectorTests
{
    [Theory]
    [InlineData("kcat-2.0.2-api-versions-v0-response.bin")]
    [InlineData("kafka-python-2.0.2-api-versions-v0-response.bin")]
    public void ApiVersionsResponseListsMockVersionsWhenDecodedAtV0(string name)
    {
        var response = DecodedFrame.Of(VectorFile.Get(name)).BodyAs<ApiVersionsResponse>();

        Assert.Equal(0, response.ErrorCode);
        ApiVersionsResponse.ApiVersion produce = Assert.Single(response.ApiKeys, k => k.ApiKey == (short)ApiKey.Produce);
        Assert.Equal(7, produce.MaxVersion);
        Assert.Equal(11, Assert.Single(response.ApiKeys, k => k.ApiKey == (short)ApiKey.Fetch).MaxVersion);
        Assert.Equal(2, Assert.Single(response.ApiKeys, k => k.ApiKey == (short)ApiKey.ApiVersions).MaxVersion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void DecodeThrowsProtocolExceptionWhenMockRefusesApiVersionsV3(short version)
    {
        // KIP-511 asks a broker that does not know the requested ApiVersions version to answer in v0 format.
        // The mock instead writes error 35 and a one-byte entry count; it parses neither as v0 nor as v3,
        // and the decoder must say so with a protocol error rather than read garbage.
        VectorFile vector = VectorFile.Get("kcat-2.0.2-api-versions-v3-response.bin");

        Assert.Throws<KafkaProtocolException>(() =>
            DecodedFrame.Response(new ReadOnlySequence<byte>(vector.Data), ApiKey.ApiVersions, version));
        Assert.Equal(35, new KafkaReader(vector.Data.AsMemory(4)).ReadInt16()); // UNSUPPORTED_VERSION
    }

    [Theory]
    [InlineData("kcat-2.0.2-metadata-v2-response.bin", "vec")]
    [InlineData("kafka-python-2.0.2-metadata-v1-response.bin", "vec-kafka-python")]
    public void MetadataResponseNamesLoopbackBrokerAndTopicWhenDecoded(string name, string topic)
    {
        var response = DecodedFrame.Of(VectorFile.Get(name)).BodyAs<MetadataResponse>();

        MetadataResponse.MetadataResponseBroker broker = Assert.Single(response.Brokers);
        Assert.Equal(1, broker.NodeId);
        Assert.Equal("127.0.0.1", broker.Host);
        Assert.InRange(broker.Port, 1, 65535);
        MetadataResponse.MetadataResponseTopic listed = Assert.Single(response.Topics, t => t.Name == topic);
        Assert.Equal(0, listed.ErrorCode);
        Assert.All(listed.Partitions, p => Assert.Equal(1, p.LeaderId));
    }

    [Theory]
    [MemberData(nameof(ProduceResponses))]
    public void ProduceResponseAcknowledgesPartitionZeroWhenDecoded(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        var response = DecodedFrame.Of(vector).BodyAs<ProduceResponse>();

        ProduceResponse.TopicProduceResponse topic = Assert.Single(response.Responses);
        Assert.Equal(ProduceVectorTests.ExpectedTopic(vector), topic.Name);
        ProduceResponse.PartitionProduceResponse partition = Assert.Single(topic.PartitionResponses);
        Assert.Equal(0, partition.Index);
        Assert.Equal(0, partition.ErrorCode);
        Assert.Equal(0, partition.BaseOffset % 2); // every capture appended two records at a time
    }

    [Theory]
    [InlineData("kcat-2.0.2-fetch-v11-response.bin", "vec", "value")]
    [InlineData("kafka-python-2.0.2-fetch-v4-response.bin", "vec-kafka-python", "value-kp")]
    public void FetchResponseCarriesFirstProducedBatchWhenDecoded(string name, string topic, string valuePrefix)
    {
        var response = DecodedFrame.Of(VectorFile.Get(name)).BodyAs<FetchResponse>();

        Assert.Equal(0, response.ErrorCode);
        FetchResponse.FetchableTopicResponse fetched = Assert.Single(response.Responses);
        Assert.Equal(topic, fetched.Topic);
        FetchResponse.PartitionData partition = Assert.Single(fetched.Partitions);
        Assert.Equal(0, partition.ErrorCode);
        Assert.True(partition.HighWatermark >= 4);

        // The mock answers one batch per fetch: the first one produced, uncompressed.
        DecodedBatch batch = Assert.Single(DecodedBatch.All(partition.Records!.Value));
        Assert.Equal(0, batch.Header.BaseOffset);
        Assert.Equal([$"{valuePrefix}-none-1", $"{valuePrefix}-none-2"], batch.Records.Select(r => r.Value));
        Assert.Equal(["key-1", "key-2"], batch.Records.Select(r => r.Key));
    }

    public static TheoryData<string> ProduceResponses() => VectorFile.Names(v => !v.IsRequest && v.Api == "produce");
}
