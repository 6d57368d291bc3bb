using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Handlers;

public sealed class ApiVersionsHandlerTests
{
    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task HandleAsync_ListsExactlyTheRegisteredApisWithTheirRanges_WhenAskedAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ApiVersionsResponse>(
            new ApiVersionsRequest { ClientSoftwareName = version >= 3 ? "librdkafka" : "", ClientSoftwareVersion = version >= 3 ? "2.3.0" : "" }, version);

        Assert.Equal(0, response.ErrorCode);
        short[] expected = [.. broker.Broker.Handlers.Supported.Select(a => (short)a.ApiKey)];
        Assert.Equal(expected, response.ApiKeys.Select(k => k.ApiKey));
        Assert.Contains((short)ApiKey.Metadata, expected);
        foreach (ApiVersionsResponse.ApiVersion api in response.ApiKeys)
        {
            ApiMessageInfo info = ApiMessageTable.Get((ApiKey)api.ApiKey);
            Assert.Equal(info.LowestVersion, api.MinVersion);
            Assert.Equal(info.HighestVersion, api.MaxVersion);
        }

        if (version >= 3)
        {
            Assert.Equal(-1, response.FinalizedFeaturesEpoch);
        }
    }

    [Fact]
    public async Task HandleAsync_ReturnsInvalidRequest_WhenTheClientSoftwareNameIsIllegal()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<ApiVersionsResponse>(
            new ApiVersionsRequest { ClientSoftwareName = "bad name!", ClientSoftwareVersion = "1.0" }, 3);

        Assert.Equal((short)ErrorCode.InvalidRequest, response.ErrorCode);
    }

    [Fact]
    public void Supported_MatchesKafka39Ranges_ForTheBuiltInApis()
    {
        // The ranges the README of the shared protocol folder lists for Kafka 3.9.
        (ApiKey Key, short Min, short Max)[] kafka39 =
        [
            (ApiKey.Metadata, 0, 12), (ApiKey.ApiVersions, 0, 4), (ApiKey.CreateTopics, 0, 7),
            (ApiKey.DeleteTopics, 0, 6), (ApiKey.CreatePartitions, 0, 3),
        ];
        foreach ((ApiKey key, short min, short max) in kafka39)
        {
            ApiMessageInfo info = ApiMessageTable.Get(key);
            Assert.Equal((min, max), (info.LowestVersion, info.HighestVersion));
        }
    }
}
