using BenchmarkDotNet.Attributes;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>
/// Offset → position latency: the offset index's binary search then a scan of batch headers to the batch that holds
/// the offset (PartitionLog.TranslateOffset), on a 64 MiB segment indexed every 4 KiB.
/// </summary>
[MemoryDiagnoser]
public class OffsetLookupBenchmarks
{
    private readonly Random _random = new(7);
    private string _dir = "";
    private PartitionLog? _log;
    private long _end;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StorageBenchData.NewDirectory("lookup");
        _log = PartitionLog.Open(Path.Combine(_dir, "bench-0"), new TopicPartition("bench", 0), LogConfig.Default, LogLoadState.Unknown);
        byte[] batch = StorageBenchData.Batch();
        for (long written = 0; written < 64L * 1024 * 1024; written += batch.Length)
        {
            _log.Append(batch, 0);
        }

        _end = _log.LogEndOffset;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Dispose();
        StorageBenchData.DeleteDirectory(_dir);
    }

    [Benchmark]
    public long TranslateOffset() => _log!.TranslateOffset(_random.NextInt64(_end))!.Value.Position;

    [Benchmark]
    public long ReadOneBatchAtRandomOffset() => _log!.Read(_random.NextInt64(_end), 1).Records.Length;
}
