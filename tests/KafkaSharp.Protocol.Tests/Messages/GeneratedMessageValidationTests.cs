using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>The generated code refuses what Kafka's generated code refuses, always with a protocol exception.</summary>
public sealed class GeneratedMessageValidationTests
{
    [Fact]
    public void WriteThrowsUnsupportedVersionWhenNonIgnorableFieldIsSetInVersionWithoutIt()
    {
        FetchResponse.PartitionData partition = new() { PreferredReadReplica = 3 };

        Assert.Throws<UnsupportedVersionException>(() => MessageCodec.Serialize(Wrap(partition), 10));
        Assert.NotEmpty(MessageCodec.Serialize(Wrap(partition), 11));
    }

    [Fact]
    public void WriteDropsFieldWhenIgnorableFieldIsSetInVersionWithoutIt()
    {
        ApiVersionsResponse response = new() { ThrottleTimeMs = 5, FinalizedFeaturesEpoch = 9 };

        byte[] frame = MessageCodec.Serialize(response, 0);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, frame);
    }

    [Fact]
    public void WriteThrowsProtocolExceptionWhenNonNullableArrayIsNull()
    {
        MetadataRequest request = new() { Topics = null };

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Serialize(request, 0));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, MessageCodec.Serialize(request, 1)[..4]);
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenNullArrayArrivesInVersionWithoutNullableArray()
    {
        byte[] frame = [0xFF, 0xFF, 0xFF, 0xFF];

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Deserialize(nameof(MetadataRequest), frame, 0));
        Assert.Null(((MetadataRequest)MessageCodec.Deserialize(nameof(MetadataRequest), frame, 1)).Topics);
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenKnownTaggedFieldIsLongerThanItsValue()
    {
        ApiVersionsResponse response = new() { FinalizedFeaturesEpoch = 0x0102030405060708 };
        byte[] frame = MessageCodec.Serialize(response, 3);

        // The frame ends with the tagged section: count 1, tag 1, size 8, the int64.
        Assert.Equal(new byte[] { 1, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8 }, frame[^11..]);
        byte[] padded = [.. frame[..^9], 9, .. frame[^8..], 0];

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Deserialize(nameof(ApiVersionsResponse), padded, 3));
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenKnownTaggedFieldIsShorterThanItsValue()
    {
        ApiVersionsResponse response = new() { FinalizedFeaturesEpoch = 0x0102030405060708 };
        byte[] frame = MessageCodec.Serialize(response, 3);
        byte[] shortened = [.. frame[..^9], 4, .. frame[^8..^4]];

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Deserialize(nameof(ApiVersionsResponse), shortened, 3));
    }

    [Fact]
    public void WriteThrowsUnsupportedVersionWhenUnknownTaggedFieldsAreSetInVersionWithoutTaggedFields()
    {
        ApiVersionsRequest request = new() { UnknownTaggedFields = [new RawTaggedField(5, [1])] };

        Assert.Throws<UnsupportedVersionException>(() => MessageCodec.Serialize(request, 2));
        Assert.NotEmpty(MessageCodec.Serialize(request, 3));
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenKnownTagArrivesInVersionWhereItIsNotTagged()
    {
        // FetchRequest's tag 1 (ReplicaState) exists from version 15; version 12 has tagged fields but not this one.
        FetchRequest request = new() { UnknownTaggedFields = [new RawTaggedField(1, [0])] };
        byte[] frame = MessageCodec.Serialize(request, 12);

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Deserialize(nameof(FetchRequest), frame, 12));
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenArrayCountExceedsFrame()
    {
        byte[] frame = [0x7F, 0xFF, 0xFF, 0xFF];

        Assert.ThrowsAny<KafkaProtocolException>(() => MessageCodec.Deserialize(nameof(MetadataRequest), frame, 1));
    }

    [Fact]
    public void CreateRequestReturnsMatchingMessageWhenApiKeyIsKnown()
    {
        foreach (ApiMessageInfo info in ApiMessageTable.All)
        {
            IApiMessage request = ApiMessageTable.CreateRequest(info.ApiKey);
            IApiMessage response = ApiMessageTable.CreateResponse(info.ApiKey);

            Assert.Equal(info.ApiKey, request.ApiKey);
            Assert.Equal(info.ApiKey, response.ApiKey);
            Assert.Equal(info.Name + "Request", request.GetType().Name);
            Assert.Equal(info.Name + "Response", response.GetType().Name);
            Assert.Equal(info.LowestVersion, request.LowestSupportedVersion);
            Assert.True(info.HighestVersion <= request.HighestSupportedVersion);
        }
    }

    private static FetchResponse Wrap(FetchResponse.PartitionData partition) =>
        new() { Responses = [new FetchResponse.FetchableTopicResponse { Topic = "t", Partitions = [partition] }] };
}
