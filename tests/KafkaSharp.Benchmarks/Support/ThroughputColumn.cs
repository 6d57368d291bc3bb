using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KafkaSharp.Benchmarks.Support;

/// <summary>A benchmark class that knows how many payload bytes one operation processes.</summary>
public interface IBytesPerOperation
{
    long BytesPerOperation { get; }
}

/// <summary>
/// Adds a "GB/s" column (10^9 bytes per second of mean time) for classes implementing
/// <see cref="IBytesPerOperation"/>, so figures such as CRC speed read directly against their goals.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "GB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Payload bytes per operation / mean time, in 10^9 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNanoseconds = report?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0 || Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IBytesPerOperation sized)
        {
            return "-";
        }

        // Parameters change the payload size, so apply them to a fresh instance before asking.
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(sized, parameter.Value);
            benchmarkCase.Descriptor.Type.GetField(parameter.Name)?.SetValue(sized, parameter.Value);
        }

        return (sized.BytesPerOperation / meanNanoseconds.Value).ToString("0.00", style.CultureInfo);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
