using System.Globalization;
using System.Text;

namespace KafkaSharp.LoadTool;

/// <summary>The Markdown tables the tool prints.</summary>
internal static class Report
{
    public static string Measurements(IReadOnlyList<CellResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| target | record | acks | partitions | records/s | MB/s | produce p50 / p99 / p99.9 ms | end-to-end p50 / p99 / p99.9 ms | consume records/s |");
        table.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (CellResult r in results)
        {
            table.AppendLine(Invariant($"| {r.Target} | {r.Cell.RecordSize} B | {r.Cell.AcksText} | {r.Cell.Partitions} | {r.RecordsPerSecond:N0} | {r.MegabytesPerSecond:F1} | {Format(r.Produce)} | {Format(r.EndToEnd)}{(r.EndToEndSamples < r.Records ? $" ({r.EndToEndSamples:N0} read)" : "")} | {r.ConsumedPerSecond:N0} ({r.ConsumedRecords:N0} read) |"));
        }

        return table.ToString();
    }

    /// <summary>Throughput ratio (higher is better for KafkaSharp) and p99 latency ratios (lower is better).</summary>
    public static string Ratios(IReadOnlyList<CellResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| record | acks | partitions | records/s KafkaSharp/mock | consume records/s KafkaSharp/mock | produce p99 KafkaSharp/mock | end-to-end p99 KafkaSharp/mock |");
        table.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (IGrouping<Cell, CellResult> cell in results.GroupBy(r => r.Cell))
        {
            CellResult? ours = cell.FirstOrDefault(r => r.Target == "KafkaSharp");
            CellResult? mock = cell.FirstOrDefault(r => r.Target == "mock");
            if (ours is null || mock is null)
            {
                continue;
            }

            table.AppendLine(Invariant($"| {cell.Key.RecordSize} B | {cell.Key.AcksText} | {cell.Key.Partitions} | {ours.RecordsPerSecond / mock.RecordsPerSecond:F2}× | {ours.ConsumedPerSecond / mock.ConsumedPerSecond:F2}× | {ours.Produce.P99 / mock.Produce.P99:F2}× | {ours.EndToEnd.P99 / mock.EndToEnd.P99:F2}× |"));
        }

        return table.ToString();
    }

    private static string Format(Percentiles p) => Invariant($"{p.P50:F1} / {p.P99:F1} / {p.P999:F1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
