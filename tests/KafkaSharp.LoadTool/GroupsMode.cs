using System.Globalization;
using System.Text;

namespace KafkaSharp.LoadTool;

/// <summary>
/// <c>--groups</c>: the consumer-group workload against KafkaSharp and librdkafka's mock cluster, printed as Markdown.
/// The mock waits 3 s before completing the first join of an empty group, as Kafka's default
/// group.initial.rebalance.delay.ms does, so KafkaSharp runs with that default for the ratio, and once more with the
/// delay at 0 to show the coordinator's own join time.
/// </summary>
internal static class GroupsMode
{
    private const int Members = 10;
    private const int Partitions = 100;
    private const int Trials = 3;

    public static async Task<int> RunAsync(string? bootstrap, TimeSpan duration, string? only)
    {
        var results = new List<GroupResult>();
        if (only is null or "kafkasharp")
        {
            if (bootstrap is not null)
            {
                await using KafkaSharpTarget existing = KafkaSharpTarget.Existing(bootstrap);
                results.Add(await RunAsync(existing, duration));
            }
            else
            {
                await using (KafkaSharpTarget kafkaSharp = await KafkaSharpTarget.StartAsync())
                {
                    results.Add(await RunAsync(kafkaSharp, duration));
                }

                await using KafkaSharpTarget noDelay = await KafkaSharpTarget.StartAsync("KafkaSharp, initial delay 0", "group.initial.rebalance.delay.ms=0");
                results.Add(await RunAsync(noDelay, duration));
            }
        }

        if (only is null or "mock")
        {
            await using MockTarget mock = MockTarget.Start();
            results.Add(await RunAsync(mock, duration));
        }

        Console.WriteLine();
        Console.WriteLine(Measurements(results));
        GroupResult? ours = results.FirstOrDefault(r => r.Target == "KafkaSharp");
        GroupResult? reference = results.FirstOrDefault(r => r.Target == "mock");
        if (ours is not null && reference is not null)
        {
            Console.WriteLine(Ratios(ours, reference));
        }

        return 0;
    }

    private static async Task<GroupResult> RunAsync(ITarget target, TimeSpan duration)
    {
        await Console.Error.WriteLineAsync($"{target.Name} ({target.BootstrapServers}): groups, {Members} members on {Partitions} partitions, {Trials} trials; commits for {duration.TotalSeconds} s");
        return await GroupWorkload.RunAsync(target, Members, Partitions, Trials, duration);
    }

    private static string Measurements(IEnumerable<GroupResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine($"| target | join: {Members} members, {Partitions} partitions, to Stable (ms, median of {Trials}) | rebalance after one member leaves (ms) | sync commits/s | async commits/s |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (GroupResult r in results)
        {
            table.AppendLine(Invariant($"| {r.Target} | {r.JoinMs:N0} | {r.LeaveMs:N0} | {r.SyncCommitsPerSecond:N0} | {r.AsyncCommitsPerSecond:N0} |"));
        }

        return table.ToString();
    }

    /// <summary>Times: lower is better for KafkaSharp; commits/s: higher is better.</summary>
    private static string Ratios(GroupResult ours, GroupResult mock)
    {
        var table = new StringBuilder();
        table.AppendLine("| join KafkaSharp/mock | leave rebalance KafkaSharp/mock | sync commits/s KafkaSharp/mock | async commits/s KafkaSharp/mock |");
        table.AppendLine("| ---: | ---: | ---: | ---: |");
        table.AppendLine(Invariant($"| {ours.JoinMs / mock.JoinMs:F2}× | {ours.LeaveMs / mock.LeaveMs:F2}× | {ours.SyncCommitsPerSecond / mock.SyncCommitsPerSecond:F2}× | {ours.AsyncCommitsPerSecond / mock.AsyncCommitsPerSecond:F2}× |"));
        return table.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
