using KafkaSharp.Interop.Results;
using KafkaSharp.Interop.Suite;

namespace KafkaSharp.Interop.Tests;

/// <summary>
/// Runs the whole suite once against a fresh KafkaSharp (or KAFKA_BOOTSTRAP when set) and writes the matrix to
/// interop/results/compatibility-matrix.md; the tests then read their cell.
/// </summary>
public sealed class SuiteFixture : IAsyncLifetime
{
    private static readonly TimeSpan SuiteLimit = TimeSpan.FromMinutes(8);

    public SuiteResult Result { get; private set; } = null!;

    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP");
        await using Target target = string.IsNullOrEmpty(external) ? await Target.StartKafkaSharpAsync() : Target.External(external);
        using var limit = new CancellationTokenSource(SuiteLimit);
        using var log = new StringWriter();
        Result = await InteropSuite.RunAsync(target.Bootstrap, target.Description, new SuiteOptions(), log, limit.Token);
        Log = log.ToString();
        string output = Path.Combine(Clients.InteropPaths.Root, "results", "compatibility-matrix.md");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, MatrixWriter.Markdown(Result));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
