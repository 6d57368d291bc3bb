namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// Facts about the captured frames that hold before any generated message is involved: the fixed part of the
/// request header read by hand, and responses pairing with requests. They also guard the capture itself.
/// </summary>
public class VectorFileTests
{
    [Fact]
    public void AllContainsEveryRequiredCaptureWhenLoaded()
    {
        string[] names = [.. VectorFile.All.Select(v => v.Name)];

        Assert.Contains("kcat-2.0.2-api-versions-v3-request.bin", names);
        Assert.Contains("kcat-2.0.2-metadata-v2-request.bin", names);
        foreach (string codec in new[] { "none", "gzip", "snappy", "lz4", "zstd" })
        {
            Assert.Contains($"kcat-2.0.2-produce-v7-{codec}-request.bin", names);
        }

        Assert.Contains("kcat-2.0.2-fetch-v11-request.bin", names);
        Assert.Contains("kcat-2.0.2-list-offsets-v2-request.bin", names);
        Assert.Contains("kafka-python-2.0.2-fetch-v4-request.bin", names);
        Assert.Contains("confluent-kafka-1.7.0-produce-v7-lz4-request.bin", names);
    }

    [Theory]
    [MemberData(nameof(VectorFile.Requests), MemberType = typeof(VectorFile))]
    public void RequestHeaderNamesApiVersionAndClientWhenReadByHand(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        var reader = new KafkaReader(vector.Data);

        // Request header v1 and v2 share this prefix (KIP-482 only appends tagged fields in v2).
        Assert.Equal(vector.ApiKey, reader.ReadInt16());
        Assert.Equal(vector.Version, reader.ReadInt16());
        Assert.True(reader.ReadInt32() > 0);
        Assert.Equal(vector.ExpectedClientId, reader.ReadNullableString());
    }

    [Theory]
    [MemberData(nameof(VectorFile.Responses), MemberType = typeof(VectorFile))]
    public void ResponseCorrelationIdMatchesItsRequestWhenPaired(string name)
    {
        VectorFile response = VectorFile.Get(name);
        VectorFile request = response.RequestOf();

        int requestCorrelation = new KafkaReader(request.Data.AsMemory(4)).ReadInt32();
        int responseCorrelation = new KafkaReader(response.Data).ReadInt32();

        Assert.Equal(requestCorrelation, responseCorrelation);
    }
}
