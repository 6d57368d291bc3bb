using KafkaSharp.Interop.Results;
using KafkaSharp.Interop.Suite;

namespace KafkaSharp.Interop.Tests;

/// <summary>Differential mode against two KafkaSharp brokers: the same behaviour, so no difference may be reported.</summary>
public sealed class DifferentialTests
{
    [Fact]
    public async Task RunReportsNoDifferenceWhenBothClustersAreKafkaSharp()
    {
        await using Target a = await Target.StartKafkaSharpAsync();
        await using Target b = await Target.StartKafkaSharpAsync();
        var options = new SuiteOptions
        {
            Clients = ["Confluent.Kafka", "kafka-python"],
            Scenarios = ["metadata", "round trip", "seek by timestamp", "describe configs", "key partitioning", "list/describe groups"],
            Mixed = false,
            Parallelism = 2,
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        Differential.Report report = await Differential.RunAsync(a.Bootstrap, b.Bootstrap, options, TextWriter.Null, limit.Token);

        Assert.Equal(12, report.Target.Outcomes.Count);
        Assert.All(report.Target.Outcomes, o => Assert.Equal(Verdict.Pass, o.Verdict));
        Assert.Empty(report.Differences);
        Assert.Contains("No differences", MatrixWriter.Markdown(report.Target, report.Differences), StringComparison.Ordinal);
    }
}
