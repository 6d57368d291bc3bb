using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>Concrete facts of the non-produce requests, decoded with the header version the API table picks.</summary>
public class RequestVectorTests
{
    [Theory]
    [MemberData(nameof(VectorFile.Requests), MemberType = typeof(VectorFile))]
    public void DecodeReadsHeaderWithTableVersionWhenClientSentRequest(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        DecodedFrame decoded = DecodedFrame.Of(vector);

        RequestHeader header = decoded.RequestHeader;
        Assert.Equal(vector.ApiKey, header.RequestApiKey);
        Assert.Equal(vector.Version, header.RequestApiVersion);
        Assert.Equal(vector.ExpectedClientId, header.ClientId);
        Assert.Null(header.UnknownTaggedFields);
        Assert.Equal((ApiKey)vector.ApiKey, decoded.Body.ApiKey);
        // Only ApiVersions v3 is a flexible version among the captures, so only it carries header v2.
        Assert.Equal(vector.Api == "api-versions" && vector.Version >= 3 ? 2 : 1, decoded.HeaderVersion);
    }

    [Fact]
    public void ApiVersionsV3NamesClientSoftwareWhenLibrdkafkaConnects()
    {
        var request = DecodedFrame.Of(VectorFile.Get("kcat-2.0.2-api-versions-v3-request.bin")).BodyAs<ApiVersionsRequest>();

        // KIP-511: compact strings, then an empty tagged-field section.
        Assert.Equal("librdkafka", request.ClientSoftwareName);
        Assert.Equal("2.0.2", request.ClientSoftwareVersion);
        Assert.Null(request.UnknownTaggedFields);
    }

    [Theory]
    [InlineData("kcat-2.0.2-api-versions-v0-request.bin")]
    [InlineData("kafka-python-2.0.2-api-versions-v0-request.bin")]
    public void ApiVersionsV0HasEmptyBodyWhenClientProbes(string name)
    {
        DecodedFrame decoded = DecodedFrame.Of(VectorFile.Get(name));

        Assert.Equal(0, decoded.Body.Size(0));
        Assert.Equal("", decoded.BodyAs<ApiVersionsRequest>().ClientSoftwareName);
    }

    [Fact]
    public void MetadataV2AsksForNamedTopicWhenKcatListsOneTopic()
    {
        var request = DecodedFrame.Of(VectorFile.Get("kcat-2.0.2-metadata-v2-request.bin")).BodyAs<MetadataRequest>();

        MetadataRequest.MetadataRequestTopic topic = Assert.Single(request.Topics!);
        Assert.Equal("vec", topic.Name);
    }

    [Fact]
    public void MetadataV0AsksForAllTopicsWithEmptyListWhenKafkaPythonBootstraps()
    {
        // v0 has no null array, so "all topics" is spelled as an empty list (from v1 on, null means all).
        var request = DecodedFrame.Of(VectorFile.Get("kafka-python-2.0.2-metadata-v0-request.bin")).BodyAs<MetadataRequest>();

        Assert.NotNull(request.Topics);
        Assert.Empty(request.Topics);
    }

    [Fact]
    public void MetadataV1AsksForProducedTopicWhenKafkaPythonSends()
    {
        var request = DecodedFrame.Of(VectorFile.Get("kafka-python-2.0.2-metadata-v1-request.bin")).BodyAs<MetadataRequest>();

        MetadataRequest.MetadataRequestTopic topic = Assert.Single(request.Topics!);
        Assert.Equal("vec-kafka-python", topic.Name);
    }

    [Theory]
    [InlineData("kcat-2.0.2-list-offsets-v2-request.bin", "vec", 1)]
    [InlineData("kafka-python-2.0.2-list-offsets-v1-request.bin", "vec-kafka-python", 0)]
    public void ListOffsetsAsksForEarliestOffsetWhenConsumerStartsAtBeginning(string name, string topic, sbyte isolation)
    {
        var request = DecodedFrame.Of(VectorFile.Get(name)).BodyAs<ListOffsetsRequest>();

        Assert.Equal(-1, request.ReplicaId); // a consumer, not a follower
        // v2 added the isolation level; librdkafka defaults to read_committed, v1 has no such field.
        Assert.Equal(isolation, request.IsolationLevel);
        ListOffsetsRequest.ListOffsetsTopic listed = Assert.Single(request.Topics);
        Assert.Equal(topic, listed.Name);
        ListOffsetsRequest.ListOffsetsPartition partition = Assert.Single(listed.Partitions);
        Assert.Equal(0, partition.PartitionIndex);
        Assert.Equal(-2, partition.Timestamp); // -2 = EARLIEST_TIMESTAMP ("-o beginning", seek_to_beginning)
    }

    [Theory]
    [InlineData("kcat-2.0.2-fetch-v11-request.bin", "vec", 1)]
    [InlineData("kafka-python-2.0.2-fetch-v4-request.bin", "vec-kafka-python", 0)]
    public void FetchAsksForPartitionZeroFromOffsetZeroWhenConsumerStarts(string name, string topic, sbyte isolation)
    {
        var request = DecodedFrame.Of(VectorFile.Get(name)).BodyAs<FetchRequest>();

        Assert.Equal(-1, request.ReplicaId);
        Assert.Equal(500, request.MaxWaitMs); // both clients' fetch.wait.max.ms / fetch_max_wait_ms default
        Assert.Equal(1, request.MinBytes);
        Assert.Equal(52_428_800, request.MaxBytes);
        Assert.Equal(isolation, request.IsolationLevel);
        Assert.Equal(0, request.SessionId); // no incremental fetch session (KIP-227) yet
        Assert.Equal(-1, request.SessionEpoch);
        FetchRequest.FetchTopic fetched = Assert.Single(request.Topics);
        Assert.Equal(topic, fetched.Topic);
        FetchRequest.FetchPartition partition = Assert.Single(fetched.Partitions);
        Assert.Equal(0, partition.Partition);
        Assert.Equal(0, partition.FetchOffset);
        Assert.Equal(1_048_576, partition.PartitionMaxBytes);
        Assert.Empty(request.ForgottenTopicsData);
    }
}
