using KafkaSharp.Interop.Results;

namespace KafkaSharp.Interop.Suite;

/// <summary>
/// Runs the suite against a target and a reference cluster (one after the other, to keep the machine quiet) and
/// lists every normalised difference.
/// </summary>
public static class Differential
{
    public sealed record Report(SuiteResult Target, SuiteResult Reference, IReadOnlyList<string> Differences);

    public static async Task<Report> RunAsync(string target, string reference, SuiteOptions options, TextWriter log, CancellationToken cancellation)
    {
        SuiteResult a = await InteropSuite.RunAsync(target, $"{target} (differential target)", options, log, cancellation);
        SuiteResult b = await InteropSuite.RunAsync(reference, $"{reference} (differential reference)", options, log, cancellation);
        return new Report(a, b, Differ.Compare(a, b));
    }
}
