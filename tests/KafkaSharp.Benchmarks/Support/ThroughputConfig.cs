using BenchmarkDotNet.Configs;

namespace KafkaSharp.Benchmarks.Support;

/// <summary>Default configuration plus the GB/s column; used with <c>[Config(typeof(ThroughputConfig))]</c>.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig() => AddColumn(new ThroughputColumn());
}
