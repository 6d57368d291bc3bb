namespace KafkaSharp.Interop.Scenarios;

/// <summary>One behaviour checked through one client. Throws <see cref="ScenarioFailedException"/> on a difference.</summary>
public interface IScenario
{
    /// <summary>The matrix column.</summary>
    string Name { get; }

    TimeSpan Timeout { get; }

    Task RunAsync(ScenarioContext ctx);
}

/// <summary>Every scenario, in matrix order.</summary>
public static class AllScenarios
{
    public static IReadOnlyList<IScenario> List { get; } =
    [
        new MetadataScenario(),
        new TopicAdminScenario(),
        new RoundTripScenario(),
        new CompressionScenario("none"),
        new CompressionScenario("gzip"),
        new CompressionScenario("snappy"),
        new CompressionScenario("lz4"),
        new CompressionScenario("zstd"),
        new LargeRecordScenario(),
        new KeyPartitioningScenario(),
        new SeekByTimestampScenario(),
        new DescribeConfigsScenario(),
        new DeleteRecordsScenario(),
        new LongPollScenario(),
        new GroupRebalanceScenario(),
        new CommitResumeScenario(),
        new PubSubScenario(),
        new GroupsAndLagScenario(),
    ];
}
