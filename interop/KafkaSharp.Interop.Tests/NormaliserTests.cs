using System.Text.Json.Nodes;
using KafkaSharp.Interop.Results;

namespace KafkaSharp.Interop.Tests;

public sealed class NormaliserTests
{
    [Fact]
    public void NormaliseDropsClusterIdentityAtAnyDepth()
    {
        var observation = new JsonObject
        {
            ["cluster_id"] = "abc",
            ["partitions"] = new JsonArray(new JsonObject { ["partition"] = 0, ["leader"] = 3, ["replicas"] = new JsonArray(3) }),
            ["lag"] = 5,
        };
        var outcome = new Outcome("c", "s", Verdict.Pass, "", observation, [], TimeSpan.Zero);

        JsonObject normal = Normaliser.Normalise(outcome, "run1");

        Assert.Equal("""{"verdict":"Pass","observation":{"partitions":[{"partition":0}],"lag":5},"detail":""}""", normal.ToJsonString());
        Assert.True(observation.ContainsKey("cluster_id"), "the outcome itself is left alone");
    }

    [Fact]
    public void TextReplacesRunIdAndLoopbackPorts()
    {
        Assert.Equal("topic interop-x-<run> on 127.0.0.1:<port> and localhost:<port>",
            Normaliser.Text("topic interop-x-ab12cd34 on 127.0.0.1:40123 and localhost:9092", "ab12cd34"));
    }
}

public sealed class DifferTests
{
    private static SuiteResult Result(string runId, params Outcome[] outcomes) =>
        new("t", runId, DateTimeOffset.UnixEpoch, TimeSpan.Zero, ["c"], ["s1", "s2"], outcomes, []);

    private static Outcome Pass(string scenario, JsonObject observation, string detail = "") =>
        new("c", scenario, Verdict.Pass, detail, observation, [], TimeSpan.Zero);

    [Fact]
    public void CompareFindsNothingWhenOnlyVolatileFieldsAndRunIdsDiffer()
    {
        SuiteResult a = Result("aaaa1111", Pass("s1", new JsonObject { ["cluster_id"] = "x", ["lag"] = 5 }, "interop-t-aaaa1111"));
        SuiteResult b = Result("bbbb2222", Pass("s1", new JsonObject { ["cluster_id"] = "y", ["lag"] = 5 }, "interop-t-bbbb2222"));

        Assert.Empty(Differ.Compare(a, b));
    }

    [Fact]
    public void CompareReportsEachDifferingPathAndVerdict()
    {
        SuiteResult a = Result("r1", Pass("s1", new JsonObject { ["lag"] = 5, ["offsets"] = new JsonArray(4, 6) }),
            new Outcome("c", "s2", Verdict.Fail, "expected 1, got 2", [], [], TimeSpan.Zero));
        SuiteResult b = Result("r2", Pass("s1", new JsonObject { ["lag"] = 4, ["offsets"] = new JsonArray(4, 7), ["extra"] = true }),
            Pass("s2", []));

        string[] differences = [.. Differ.Compare(a, b)];

        Assert.Contains("c / s1: observation.extra: absent vs true", differences);
        Assert.Contains("c / s1: observation.lag: 5 vs 4", differences);
        Assert.Contains("c / s1: observation.offsets[1]: 6 vs 7", differences);
        Assert.Contains("c / s2: verdict: \"Fail\" vs \"Pass\"", differences);
        Assert.Contains("c / s2: detail: \"expected 1, got 2\" vs \"\"", differences);
        Assert.Equal(5, differences.Length);
    }

    [Fact]
    public void DiffReportsArraysOfDifferentLengthAsOneValue()
    {
        string[] differences = [.. Differ.Diff(new JsonArray(1, 2), new JsonArray(1), "a")];

        Assert.Equal(["a: [1,2] vs [1]"], differences);
    }

    [Fact]
    public void CompareReportsACellThatRanAgainstOnlyOneCluster()
    {
        SuiteResult a = Result("r1", Pass("s1", []));
        SuiteResult b = Result("r2");

        Assert.Equal(["c / s1: ran against only one cluster"], Differ.Compare(a, b));
    }
}
