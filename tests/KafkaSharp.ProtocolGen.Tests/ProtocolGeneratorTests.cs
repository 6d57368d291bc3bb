namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>What the generator emits for small hand-made schemas.</summary>
public sealed class ProtocolGeneratorTests : IDisposable
{
    private readonly string _schemaDir = Path.Combine(Path.GetTempPath(), "kafkasharp-schemas-" + Guid.NewGuid().ToString("N"));

    public ProtocolGeneratorTests() => Directory.CreateDirectory(_schemaDir);

    public void Dispose() => Directory.Delete(_schemaDir, recursive: true);

    [Fact]
    public void GenerateEmitsVersionCheckOnlyWhenFieldRangeIsNarrowerThanMessage()
    {
        WritePair("""
            {"name": "Always", "type": "int32", "versions": "0+"},
            {"name": "Later", "type": "int64", "versions": "2+"},
            {"name": "Middle", "type": "int16", "versions": "1-2"}
            """);

        string code = ProtocolGenerator.Generate(_schemaDir)["SampleRequest.g.cs"];
        string read = Section(code, "public void Read(", "public void Write(");

        Assert.Contains("Always = reader.ReadInt32();", read, StringComparison.Ordinal);
        Assert.DoesNotContain("if (version >= 0)", read, StringComparison.Ordinal);
        Assert.Contains("if (version >= 2)", read, StringComparison.Ordinal);
        Assert.Contains("if (version >= 1 && version <= 2)", read, StringComparison.Ordinal);
        Assert.Contains("if (version >= 3)", read, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateRenamesStructWhenItsNameClashesWithAProperty()
    {
        WritePair("""
            {"name": "Assignment", "type": "Assignment", "versions": "0+", "fields": [
              {"name": "Partitions", "type": "[]int32", "versions": "0+"}
            ]}
            """);

        string code = ProtocolGenerator.Generate(_schemaDir)["SampleRequest.g.cs"];

        Assert.Contains("public AssignmentData Assignment { get; set; } = new();", code, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class AssignmentData : IEquatable<AssignmentData>", code, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateLeavesUnstableVersionOutOfTableWhenLatestVersionIsUnstable()
    {
        WritePair("""{"name": "Id", "type": "int32", "versions": "0+"}""", extraTopLevel: "\"latestVersionUnstable\": true,");

        Dictionary<string, string> files = ProtocolGenerator.Generate(_schemaDir);

        Assert.Contains("public const short HighestVersion = 3;", files["SampleRequest.g.cs"], StringComparison.Ordinal);
        Assert.Contains("new(ApiKey.Sample, \"Sample\", 0, 2, 3, 3),", files["ApiMessageTable.g.cs"], StringComparison.Ordinal);
        Assert.Contains("Sample = 900,", files["ApiKey.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateUsesVarintPresenceMarkerWhenNullableStructIsTagged()
    {
        WritePair("""
            {"name": "Plain", "type": "Inner", "versions": "0+", "nullableVersions": "0+", "default": "null", "fields": [
              {"name": "X", "type": "int32", "versions": "0+"}
            ]},
            {"name": "Tagged", "type": "Other", "versions": "3+", "nullableVersions": "3+", "default": "null",
             "taggedVersions": "3+", "tag": 0, "fields": [
              {"name": "Y", "type": "int32", "versions": "3+"}
            ]}
            """);

        string code = ProtocolGenerator.Generate(_schemaDir)["SampleRequest.g.cs"];
        string read = Section(code, "public void Read(", "public void Write(");
        string write = Section(code, "public void Write(", "public int Size(");

        Assert.Contains("if (reader.ReadInt8() < 0)", read, StringComparison.Ordinal);
        Assert.Contains("if (tagReader.ReadUnsignedVarInt() == 0)", read, StringComparison.Ordinal);
        Assert.Contains("writer.WriteInt8(-1);", write, StringComparison.Ordinal);
        Assert.Contains("writer.WriteUnsignedVarInt(1);", write, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateThrowsNamingFileWhenStructIsNotDeclared()
    {
        WritePair("""{"name": "Things", "type": "[]Thing", "versions": "0+"}""");

        Schema.SchemaException error = Assert.Throws<Schema.SchemaException>(() => ProtocolGenerator.Generate(_schemaDir));

        Assert.Contains("SampleRequest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("Thing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunRemovesStaleFilesWhenSchemaIsGone()
    {
        WritePair("""{"name": "Id", "type": "int32", "versions": "0+"}""");
        string outDir = Path.Combine(_schemaDir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "Removed.g.cs"), "// old");

        IReadOnlyList<string> written = ProtocolGenerator.Run(_schemaDir, outDir);

        Assert.False(File.Exists(Path.Combine(outDir, "Removed.g.cs")));
        Assert.Equal(written.Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private void WritePair(string requestFields, string extraTopLevel = "")
    {
        File.WriteAllText(Path.Combine(_schemaDir, "SampleRequest.json"), $$"""
            {"apiKey": 900, "type": "request", "name": "SampleRequest", {{extraTopLevel}}
             "validVersions": "0-3", "flexibleVersions": "3+", "fields": [{{requestFields}}]}
            """);
        File.WriteAllText(Path.Combine(_schemaDir, "SampleResponse.json"), """
            {"apiKey": 900, "type": "response", "name": "SampleResponse", "validVersions": "0-3", "flexibleVersions": "3+",
             "fields": [{"name": "ErrorCode", "type": "int16", "versions": "0+"}]}
            """);
    }

    private static string Section(string code, string start, string end)
    {
        int from = code.IndexOf(start, StringComparison.Ordinal);
        int to = code.IndexOf(end, from, StringComparison.Ordinal);
        return code[from..to];
    }
}
