using KafkaSharp.Interop.Results;
using KafkaSharp.Interop.Scenarios;
using KafkaSharp.Interop.Suite;

namespace KafkaSharp.Interop.Tests;

/// <summary>
/// One test per matrix cell: a scenario through a real client must pass, or be one the client cannot do (the
/// reason is in the matrix). A failure shows what differed.
/// </summary>
public sealed class CompatibilityMatrixTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (string client in InteropSuite.AllClients("127.0.0.1:1").Select(c => c.Name))
        {
            foreach (IScenario scenario in AllScenarios.List)
            {
                cells.Add(client, scenario.Name);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void ScenarioPassesOrIsUnsupportedWhenRunThroughClient(string client, string scenario)
    {
        Outcome? outcome = suite.Result.Find(client, scenario);
        Assert.NotNull(outcome);
        Assert.True(outcome.Verdict != Verdict.Fail, $"{client} / {scenario}: {outcome.Detail}\n\nsuite log:\n{suite.Log}");
    }

    [Fact]
    public void EveryClientReadsWhatEveryClientProducedByteForByte()
    {
        Assert.Equal(36, suite.Result.Mixed.Count);
        string[] failed = [.. suite.Result.Mixed.Where(c => c.Verdict == Verdict.Fail).Select(c => $"{c.Producer} → {c.Consumer}: {c.Detail}")];
        Assert.True(failed.Length == 0, string.Join('\n', failed));
    }

    [Fact]
    public void OneGroupWithAMemberFromEveryClientSharesPartitionsAndRebalances()
    {
        Assert.NotNull(suite.Result.MixedGroup);
        Assert.True(suite.Result.MixedGroup.Verdict == Verdict.Pass, suite.Result.MixedGroup.Detail);
    }

    [Fact]
    public void CoreScenariosPassThroughEveryClientThatCanRunThem()
    {
        // Guards against a suite where everything is "not supported": the data path must really be exercised.
        string[] core = ["metadata", "produce/consume round trip", "compression gzip", "key partitioning"];
        foreach (string client in suite.Result.Clients)
        {
            foreach (string scenario in core)
            {
                Assert.Equal(Verdict.Pass, suite.Result.Find(client, scenario)?.Verdict);
            }
        }
    }
}
