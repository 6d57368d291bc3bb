namespace KafkaSharp.Interop.Suite;

/// <summary>Which clients and scenarios to run, and how many clients at once.</summary>
public sealed record SuiteOptions
{
    /// <summary>Client names to run (case-insensitive); empty means all.</summary>
    public IReadOnlyList<string> Clients { get; init; } = [];

    /// <summary>Substrings of scenario names to run; empty means all.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    public bool Mixed { get; init; } = true;

    /// <summary>Clients running their scenarios at the same time (each scenario runs alone within its client).</summary>
    public int Parallelism { get; init; } = 3;
}
