using KafkaSharp.ProtocolGen.Schema;
using Xunit.Abstractions;

namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>
/// Our schema files carry Kafka's wire facts with descriptions removed. This compares each with Kafka's file of
/// the same name, field by field, and reports every difference at once.
/// </summary>
public sealed class SchemaComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public void SchemasMatchReferenceWhenComparedFieldByField()
    {
        string? folder = ReferenceData.Folder;
        if (folder is null)
        {
            output.WriteLine("Reference data ../shared/kafka-protocol not found next to the repository; comparison not run.");
            return;
        }

        string root = RepositoryRoot.Find(AppContext.BaseDirectory)!;
        List<string> differences = [];
        int compared = 0;
        foreach (string ours in Directory.GetFiles(Path.Combine(root, "protocol-gen", "schemas"), "*.json").Order(StringComparer.Ordinal))
        {
            string fileName = Path.GetFileName(ours);
            string? reference = new[] { "messages", "internal" }.Select(sub => Path.Combine(folder, sub, fileName)).FirstOrDefault(File.Exists);
            if (reference is null)
            {
                differences.Add($"{fileName}: no reference file of that name");
                continue;
            }

            differences.AddRange(SchemaDiff.Compare(SchemaParser.ParseFile(ours), SchemaParser.ParseFile(reference)));
            compared++;
        }

        output.WriteLine($"Compared {compared} schema files.");
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void CompareReportsEveryDifferenceWhenFieldsDiffer()
    {
        MessageSpec ours = SchemaParser.Parse("""
            {"apiKey": 1, "type": "request", "name": "XRequest", "validVersions": "0-3", "flexibleVersions": "2+",
             "fields": [
               {"name": "A", "type": "int32", "versions": "0+"},
               {"name": "B", "type": "[]S", "versions": "1+", "fields": [{"name": "C", "type": "string", "versions": "1+"}]}
             ]}
            """, "X.json");
        MessageSpec reference = SchemaParser.Parse("""
            {"apiKey": 2, "type": "request", "name": "XRequest", "validVersions": "0-4", "flexibleVersions": "2+",
             "fields": [
               {"name": "A", "type": "int64", "versions": "0+", "default": "-1"},
               {"name": "B", "type": "[]S", "versions": "1+", "fields": [{"name": "C", "type": "string", "versions": "1+", "nullableVersions": "1+"}]},
               {"name": "D", "type": "bool", "versions": "3+"}
             ]}
            """, "X.json");

        List<string> differences = SchemaDiff.Compare(ours, reference);

        Assert.Contains(differences, d => d.Contains("apiKey", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("validVersions", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("XRequest.A", StringComparison.Ordinal) && d.Contains("type", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("XRequest.A", StringComparison.Ordinal) && d.Contains("default", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("XRequest.B.C", StringComparison.Ordinal) && d.Contains("nullableVersions", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("XRequest.D", StringComparison.Ordinal) && d.Contains("missing", StringComparison.Ordinal));
        Assert.Equal(6, differences.Count);
    }
}
