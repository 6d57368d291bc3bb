using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>Which request and response header version goes with each API version, and the headers' wire form.</summary>
public sealed class HeaderVersionTests
{
    [Theory]
    [InlineData((short)0)]
    [InlineData((short)2)]
    [InlineData((short)3)]
    [InlineData((short)4)]
    public void ResponseHeaderVersionIsZeroWhenApiIsApiVersions(short apiVersion) =>
        Assert.Equal(0, ApiMessageTable.ResponseHeaderVersion(ApiKey.ApiVersions, apiVersion));

    [Fact]
    public void RequestHeaderVersionIsTwoWhenApiVersionsRequestIsFlexible() =>
        Assert.Equal(2, ApiMessageTable.RequestHeaderVersion(ApiKey.ApiVersions, 3));

    [Theory]
    [InlineData((short)0, (short)0)]
    [InlineData((short)1, (short)1)]
    [InlineData((short)2, (short)1)]
    [InlineData((short)3, (short)2)]
    public void RequestHeaderVersionFollowsKafkaWhenApiIsControlledShutdown(short apiVersion, short headerVersion) =>
        Assert.Equal(headerVersion, ApiMessageTable.RequestHeaderVersion(ApiKey.ControlledShutdown, apiVersion));

    [Theory]
    [InlineData(ApiKey.Produce, (short)8, (short)1, (short)0)]
    [InlineData(ApiKey.Produce, (short)9, (short)2, (short)1)]
    [InlineData(ApiKey.Metadata, (short)0, (short)1, (short)0)]
    [InlineData(ApiKey.Metadata, (short)9, (short)2, (short)1)]
    [InlineData(ApiKey.SaslHandshake, (short)1, (short)1, (short)0)]
    public void HeaderVersionsFollowFlexibilityWhenApiIsOrdinary(ApiKey apiKey, short apiVersion, short requestHeader, short responseHeader)
    {
        Assert.Equal(requestHeader, ApiMessageTable.RequestHeaderVersion(apiKey, apiVersion));
        Assert.Equal(responseHeader, ApiMessageTable.ResponseHeaderVersion(apiKey, apiVersion));
    }

    [Fact]
    public void RequestHeaderVersionThrowsUnsupportedVersionWhenApiKeyIsUnknown() =>
        Assert.Throws<UnsupportedVersionException>(() => ApiMessageTable.RequestHeaderVersion((ApiKey)999, 0));

    [Fact]
    public void WriteUsesNonCompactNullableClientIdWhenHeaderVersionIsTwo()
    {
        RequestHeader header = new() { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 7, ClientId = null };

        byte[] nullClient = MessageCodec.Serialize(header, 2);
        header.ClientId = "ab";
        byte[] namedClient = MessageCodec.Serialize(header, 2);

        Assert.Equal(new byte[] { 0, 18, 0, 3, 0, 0, 0, 7, 0xFF, 0xFF, 0 }, nullClient);
        Assert.Equal(new byte[] { 0, 18, 0, 3, 0, 0, 0, 7, 0, 2, (byte)'a', (byte)'b', 0 }, namedClient);
        Assert.Null(((RequestHeader)MessageCodec.Deserialize(nameof(RequestHeader), nullClient, 2)).ClientId);
        Assert.Equal("ab", ((RequestHeader)MessageCodec.Deserialize(nameof(RequestHeader), namedClient, 2)).ClientId);
    }

    [Fact]
    public void WriteOmitsClientIdWhenHeaderVersionIsZero()
    {
        RequestHeader header = new() { RequestApiKey = 7, RequestApiVersion = 0, CorrelationId = 1, ClientId = "ignored" };

        Assert.Equal(new byte[] { 0, 7, 0, 0, 0, 0, 0, 1 }, MessageCodec.Serialize(header, 0));
    }

    [Fact]
    public void WriteHasNoTaggedSectionWhenResponseHeaderVersionIsZero()
    {
        ResponseHeader header = new() { CorrelationId = 0x01020304 };

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, MessageCodec.Serialize(header, 0));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0 }, MessageCodec.Serialize(header, 1));
    }
}
