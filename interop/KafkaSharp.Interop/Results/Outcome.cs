using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Results;

public enum Verdict
{
    Pass,
    Fail,
    NotSupported,
}

/// <summary>One cell of the matrix: a client through a scenario, what it saw, and what differed when it failed.</summary>
public sealed record Outcome(string Client, string Scenario, Verdict Verdict, string Detail, JsonObject Observation, IReadOnlyList<string> Notes, TimeSpan Elapsed);

/// <summary>Everything one run produced against one target.</summary>
public sealed record SuiteResult(string Target, string RunId, DateTimeOffset Started, TimeSpan Elapsed, IReadOnlyList<string> Clients,
    IReadOnlyList<string> Scenarios, IReadOnlyList<Outcome> Outcomes, IReadOnlyList<Scenarios.MixedClients.Cell> Mixed, Outcome? MixedGroup = null)
{
    public Outcome? Find(string client, string scenario) => Outcomes.FirstOrDefault(o => o.Client == client && o.Scenario == scenario);

    public int Count(Verdict verdict) =>
        Outcomes.Count(o => o.Verdict == verdict) + Mixed.Count(c => c.Verdict == verdict) + (MixedGroup?.Verdict == verdict ? 1 : 0);
}
