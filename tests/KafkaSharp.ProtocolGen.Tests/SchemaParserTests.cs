using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>Bad schema files are rejected with a message naming the file and what is wrong.</summary>
public sealed class SchemaParserTests
{
    private const string ValidRequest = """
        // Comments and trailing commas are allowed, as in Kafka's own files.
        {
          "apiKey": 1000, "type": "request", "listeners": ["zkBroker"], "name": "TestRequest",
          "validVersions": "0-3", "flexibleVersions": "2+",
          "fields": [
            {"name": "Id", "type": "int32", "versions": "0+", "entityType": "brokerId"},
            {"name": "Items", "type": "[]Item", "versions": "1+", "nullableVersions": "2+", "fields": [
              {"name": "Key", "type": "string", "versions": "1+", "mapKey": true},
            ]},
            {"name": "Extra", "type": "int64", "versions": "2+", "taggedVersions": "2+", "tag": 0, "default": "-1", "ignorable": true},
          ],
        }
        """;

    [Fact]
    public void ParseReturnsSpecWhenSchemaIsValid()
    {
        MessageSpec spec = SchemaParser.Parse(ValidRequest, "TestRequest.json");

        Assert.Equal("TestRequest", spec.Name);
        Assert.Equal((short)1000, spec.ApiKey);
        Assert.Equal(new VersionRange(0, 3), spec.ValidVersions);
        Assert.Equal(["zkBroker"], spec.Listeners);
        FieldSpec items = spec.Fields[1];
        Assert.Equal(FieldKind.Array, items.Type.Kind);
        Assert.Equal("Item", items.Type.Element!.StructName);
        Assert.True(items.Fields![0].MapKey);
        FieldSpec extra = spec.Fields[2];
        Assert.Equal(0, extra.Tag);
        Assert.Equal("-1", extra.Default);
        Assert.True(extra.UntaggedVersions.IsEmpty);
    }

    [Fact]
    public void ParseThrowsNamingFileAndKeyWhenTopLevelKeyIsUnknown()
    {
        string json = ValidRequest.Replace("\"listeners\"", "\"listenerz\"", StringComparison.Ordinal);

        SchemaException error = Assert.Throws<SchemaException>(() => SchemaParser.Parse(json, "TestRequest.json"));

        Assert.Contains("TestRequest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("listenerz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseThrowsNamingFileAndKeyWhenFieldKeyIsUnknown()
    {
        string json = ValidRequest.Replace("\"mapKey\"", "\"mapkey\"", StringComparison.Ordinal);

        SchemaException error = Assert.Throws<SchemaException>(() => SchemaParser.Parse(json, "TestRequest.json"));

        Assert.Contains("TestRequest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("mapkey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"validVersions\": \"0-3\"", "\"validVersions\": \"3-0\"")]
    [InlineData("\"flexibleVersions\": \"2+\"", "\"flexibleVersions\": \"2++\"")]
    [InlineData("\"versions\": \"1+\", \"nullableVersions\"", "\"versions\": \"one\", \"nullableVersions\"")]
    public void ParseThrowsNamingFileWhenVersionStringIsBad(string good, string bad)
    {
        string json = ValidRequest.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(ValidRequest, json);

        SchemaException error = Assert.Throws<SchemaException>(() => SchemaParser.Parse(json, "TestRequest.json"));

        Assert.Contains("TestRequest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a version range", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"type\": \"int32\"", "\"type\": \"int33\"", "unknown type")]
    [InlineData("\"tag\": 0,", "", "both \"tag\" and \"taggedVersions\"")]
    [InlineData("\"apiKey\": 1000,", "", "apiKey")]
    [InlineData("\"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\",", "\"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\", \"nullableVersions\": \"0+\",", "cannot have nullableVersions")]
    public void ParseThrowsNamingFileWhenSchemaIsInconsistent(string good, string bad, string expected)
    {
        string json = ValidRequest.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(ValidRequest, json);

        SchemaException error = Assert.Throws<SchemaException>(() => SchemaParser.Parse(json, "TestRequest.json"));

        Assert.Contains("TestRequest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseThrowsNamingFileWhenJsonIsMalformed()
    {
        SchemaException error = Assert.Throws<SchemaException>(() => SchemaParser.Parse("{\"name\": ", "Broken.json"));

        Assert.Contains("Broken.json", error.Message, StringComparison.Ordinal);
    }
}
