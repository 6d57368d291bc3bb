using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;
using KafkaSharp.Interop.Results;
using KafkaSharp.Interop.Scenarios;

namespace KafkaSharp.Interop.Suite;

/// <summary>Runs every scenario through every client against one cluster and collects the matrix.</summary>
public static class InteropSuite
{
    public static IReadOnlyList<IInteropClient> AllClients(string bootstrap) =>
    [
        new ConfluentClient(bootstrap),
        new KcatClient(bootstrap),
        DriverClient.ConfluentPython(bootstrap),
        DriverClient.KafkaPython(bootstrap),
        DriverClient.Kafkajs(bootstrap),
        DriverClient.Platformatic(bootstrap),
    ];

    public static async Task<SuiteResult> RunAsync(string bootstrap, string targetDescription, SuiteOptions options, TextWriter log, CancellationToken cancellation)
    {
        string runId = Guid.NewGuid().ToString("N")[..8];
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        IInteropClient[] clients = [.. AllClients(bootstrap).Where(c => options.Clients.Count == 0 || options.Clients.Contains(c.Name, StringComparer.OrdinalIgnoreCase))];
        IScenario[] scenarios = [.. AllScenarios.List.Where(s => options.Scenarios.Count == 0 || options.Scenarios.Any(f => s.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))];
        var reference = new ConfluentClient(bootstrap);
        log.WriteLine($"interop: {clients.Length} clients × {scenarios.Length} scenarios against {targetDescription} ({bootstrap}), run {runId}");

        var outcomes = new List<Outcome>();
        using var gate = new SemaphoreSlim(options.Parallelism);
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync(cancellation);
            try
            {
                foreach (IScenario scenario in scenarios)
                {
                    Outcome outcome = await RunOneAsync(client, reference, scenario, runId, cancellation);
                    lock (outcomes)
                    {
                        outcomes.Add(outcome);
                        log.WriteLine($"  {outcome.Verdict,-12} {client.Name} / {scenario.Name} ({outcome.Elapsed.TotalSeconds:0.0} s){(outcome.Verdict == Verdict.Pass ? "" : ": " + outcome.Detail)}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        IReadOnlyList<MixedClients.Cell> mixed = [];
        if (options.Mixed && clients.Length > 0)
        {
            log.WriteLine("  mixed clients: each produces, every one consumes");
            mixed = await MixedClients.RunAsync(clients, reference, runId, options.Parallelism, cancellation);
        }

        Outcome? mixedGroup = null;
        if (options.Mixed && clients.Length > 1)
        {
            log.WriteLine("  mixed group: a member from every client in one group");
            mixedGroup = await MixedGroup.RunAsync(clients, reference, runId, cancellation);
            log.WriteLine($"  {mixedGroup.Verdict,-12} {mixedGroup.Scenario} ({mixedGroup.Elapsed.TotalSeconds:0.0} s){(mixedGroup.Verdict == Verdict.Pass ? "" : ": " + mixedGroup.Detail)}");
        }

        string[] clientOrder = [.. clients.Select(c => c.Name)];
        return new SuiteResult(targetDescription, runId, started, clock.Elapsed, clientOrder, [.. scenarios.Select(s => s.Name)],
            [.. outcomes.OrderBy(o => Array.IndexOf(clientOrder, o.Client)).ThenBy(o => Array.FindIndex(scenarios, s => s.Name == o.Scenario))],
            [.. mixed.OrderBy(c => Array.IndexOf(clientOrder, c.Producer)).ThenBy(c => Array.IndexOf(clientOrder, c.Consumer))], mixedGroup);
    }

    /// <summary>One scenario through one client, under its timeout; its topics are deleted afterwards whatever happened.</summary>
    public static async Task<Outcome> RunOneAsync(IInteropClient client, IInteropClient reference, IScenario scenario, string runId, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(scenario.Timeout);
        var ctx = new ScenarioContext(client, reference, runId, timeout.Token);
        var clock = Stopwatch.StartNew();
        Verdict verdict;
        string detail;
        try
        {
            await scenario.RunAsync(ctx).WaitAsync(timeout.Token);
            (verdict, detail) = (Verdict.Pass, "");
        }
        catch (StepUnsupportedException e)
        {
            (verdict, detail) = (Verdict.NotSupported, e.Message);
        }
        catch (Exception e) when (e is ScenarioFailedException or StepFailedException)
        {
            (verdict, detail) = (Verdict.Fail, e.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            (verdict, detail) = (Verdict.Fail, $"timed out after {scenario.Timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            (verdict, detail) = (Verdict.Fail, $"{e.GetType().Name}: {e.Message}");
        }

        await CleanUpAsync(reference, ctx.Topics);
        return new Outcome(client.Name, scenario.Name, verdict, detail, ctx.Observation, ctx.Notes, clock.Elapsed);
    }

    private static async Task CleanUpAsync(IInteropClient reference, IEnumerable<string> topics)
    {
        foreach (string topic in topics)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await reference.StepAsync("delete_topic", new JsonObject { ["topic"] = topic }, timeout.Token);
            }
            catch (Exception e) when (e is StepFailedException or OperationCanceledException)
            {
                // Already deleted by the scenario, or never created.
            }
        }
    }
}
