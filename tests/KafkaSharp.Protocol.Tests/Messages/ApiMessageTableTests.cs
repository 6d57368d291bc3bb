using System.Text.RegularExpressions;
using KafkaSharp.Protocol.Messages;
using Xunit.Abstractions;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>The generated API table against the version ranges Kafka 3.9's ZooKeeper-mode broker advertises.</summary>
public sealed partial class ApiMessageTableTests(ITestOutputHelper output)
{
    [Fact]
    public void AllMatchesReferenceRangesWhenReferenceReadmeIsPresent()
    {
        string? folder = ReferenceData.Folder;
        if (folder is null || !File.Exists(Path.Combine(folder, "README.md")))
        {
            output.WriteLine("Reference data ../shared/kafka-protocol/README.md not found next to the repository; comparison not run.");
            return;
        }

        Dictionary<string, (short Lowest, short Highest)> expected = ParseRanges(File.ReadAllText(Path.Combine(folder, "README.md")));
        Assert.True(expected.Count > 50, $"Only {expected.Count} ranges found in README.md; its format changed?");

        List<string> differences = [];
        foreach ((string name, (short lowest, short highest)) in expected)
        {
            ApiMessageInfo? info = ApiMessageTable.All.FirstOrDefault(i => i.Name == name);
            if (info is null)
            {
                differences.Add($"{name}: missing from ApiMessageTable");
            }
            else if (info.LowestVersion != lowest || info.HighestVersion != highest)
            {
                differences.Add($"{name}: table has {info.LowestVersion}-{info.HighestVersion}, reference has {lowest}-{highest}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void IsSupportedReturnsFalseWhenVersionIsOutsideRangeOrKeyIsUnknown()
    {
        Assert.True(ApiMessageTable.IsSupported(ApiKey.ListOffsets, 9));
        Assert.False(ApiMessageTable.IsSupported(ApiKey.ListOffsets, 10));
        Assert.False(ApiMessageTable.IsSupported(ApiKey.Produce, -1));
        Assert.False(ApiMessageTable.IsSupported((ApiKey)(-5), 0));
        Assert.False(ApiMessageTable.IsSupported((ApiKey)1000, 0));
    }

    [Fact]
    public void AllIsOrderedByKeyWhenListed()
    {
        Assert.Equal(ApiMessageTable.All.OrderBy(i => i.ApiKey), ApiMessageTable.All);
        Assert.Equal(0, (short)ApiKey.Produce);
        Assert.Equal(18, (short)ApiKey.ApiVersions);
    }

    /// <summary>Reads entries such as "Produce 0–11" or "OffsetDelete 0" from the README's range section.</summary>
    private static Dictionary<string, (short, short)> ParseRanges(string readme)
    {
        int start = readme.IndexOf("## Version ranges", StringComparison.Ordinal);
        string section = start < 0 ? "" : readme[start..];
        Dictionary<string, (short, short)> ranges = [];
        foreach (Match match in RangePattern().Matches(section))
        {
            short lowest = short.Parse(match.Groups["low"].Value);
            short highest = match.Groups["high"].Success ? short.Parse(match.Groups["high"].Value) : lowest;
            ranges[match.Groups["name"].Value] = (lowest, highest);
        }

        return ranges;
    }

    [GeneratedRegex(@"(?<name>[A-Z][A-Za-z]+) (?<low>\d+)(?:[–-](?<high>\d+))?(?= ·|\s*$)", RegexOptions.Multiline)]
    private static partial Regex RangePattern();
}
