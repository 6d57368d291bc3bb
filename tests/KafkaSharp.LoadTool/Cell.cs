using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>One workload setting: record size, acks and partition count.</summary>
internal sealed record Cell(int RecordSize, Acks Acks, int Partitions)
{
    public string AcksText => Acks == Acks.All ? "all" : ((int)Acks).ToString();

    public override string ToString() => $"{RecordSize} B, acks={AcksText}, {Partitions} partition{(Partitions == 1 ? "" : "s")}";

    public static IEnumerable<Cell> All()
    {
        foreach (int size in new[] { 100, 1024 })
        {
            foreach (Acks acks in new[] { Acks.Leader, Acks.All })
            {
                foreach (int partitions in new[] { 1, 8 })
                {
                    yield return new Cell(size, acks, partitions);
                }
            }
        }
    }
}

/// <summary>What one cell measured on one target. Latencies in milliseconds.</summary>
internal sealed record CellResult(Cell Cell, string Target, long Records, double Seconds, Percentiles Produce, Percentiles EndToEnd, long EndToEndSamples, long ConsumedRecords, double ConsumeSeconds)
{
    public double RecordsPerSecond => Records / Seconds;

    /// <summary>Records per second of the consume-only phase; 0 when it read nothing.</summary>
    public double ConsumedPerSecond => ConsumeSeconds > 0 ? ConsumedRecords / ConsumeSeconds : 0;

    /// <summary>MB as kafka-producer-perf-test counts it: 1024 * 1024 bytes.</summary>
    public double MegabytesPerSecond => Records * (double)Cell.RecordSize / (1024 * 1024) / Seconds;
}

internal readonly record struct Percentiles(double P50, double P99, double P999);
