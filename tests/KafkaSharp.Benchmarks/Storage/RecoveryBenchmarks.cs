using BenchmarkDotNet.Attributes;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>
/// Recovery after an unclean shutdown: re-validate (CRC and structure) and re-index a 64 MiB log from the page
/// cache. Multiply by 16 for the time per GiB.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmarks
{
    private string _dir = "";
    private string _partitionDir = "";
    private PartitionLog? _opened;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StorageBenchData.NewDirectory("recovery");
        _partitionDir = Path.Combine(_dir, "bench-0");
        var config = LogConfig.Default with { SegmentBytes = 16 * 1024 * 1024 };
        using PartitionLog log = PartitionLog.Open(_partitionDir, new TopicPartition("bench", 0), config, LogLoadState.Unknown);
        byte[] batch = StorageBenchData.Batch();
        for (long written = 0; written < 64L * 1024 * 1024; written += batch.Length)
        {
            log.Append(batch, 0);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => StorageBenchData.DeleteDirectory(_dir);

    [IterationCleanup]
    public void Close() => _opened?.Dispose();

    [Benchmark]
    public long Recover64MiB()
    {
        // Recovery point 0 and no clean-shutdown marker: every segment is re-validated and re-indexed.
        _opened = PartitionLog.Open(_partitionDir, new TopicPartition("bench", 0), LogConfig.Default with { SegmentBytes = 16 * 1024 * 1024 }, LogLoadState.Unknown);
        return _opened.LogEndOffset;
    }
}
