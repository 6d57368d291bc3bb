using BenchmarkDotNet.Attributes;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>
/// Append throughput: 16 MiB as 16 KiB batches of 1 KiB records, through PartitionLog.Append (validation, offset
/// assignment, index maintenance) against a raw sequential FileStream write of the same bytes (the baseline).
/// Both write into the page cache; neither fsyncs. Goal: Append / Raw ≥ 0.9 in time ratio terms (≤ 1.11).
/// </summary>
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private const int Batches = 1024;
    private byte[] _batch = [];
    private string _dir = "";
    private PartitionLog? _log;

    [GlobalSetup]
    public void Setup() => _batch = StorageBenchData.Batch();

    [IterationSetup(Target = nameof(PartitionLogAppend))]
    public void OpenLog()
    {
        _dir = StorageBenchData.NewDirectory("append");
        _log = PartitionLog.Open(Path.Combine(_dir, "bench-0"), new TopicPartition("bench", 0), LogConfig.Default, LogLoadState.Unknown);

        // A broker records the epoch's start offset when it becomes leader (Kafka's makeLeader), not on the first
        // produce; without this, every measured operation would include the checkpoint's fsync.
        _log.LeaderEpochs.Assign(0, 0);
    }

    [IterationCleanup(Target = nameof(PartitionLogAppend))]
    public void CloseLog()
    {
        _log?.Dispose();
        StorageBenchData.DeleteDirectory(_dir);
    }

    [IterationSetup(Target = nameof(RawFileStreamWrite))]
    public void MakeDirectory() => _dir = StorageBenchData.NewDirectory("raw");

    [IterationCleanup(Target = nameof(RawFileStreamWrite))]
    public void RemoveDirectory() => StorageBenchData.DeleteDirectory(_dir);

    [Benchmark(Baseline = true)]
    public long RawFileStreamWrite()
    {
        using var stream = new FileStream(Path.Combine(_dir, "raw.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        for (int i = 0; i < Batches; i++)
        {
            stream.Write(_batch);
        }

        return stream.Length;
    }

    [Benchmark]
    public long PartitionLogAppend()
    {
        PartitionLog log = _log!;
        for (int i = 0; i < Batches; i++)
        {
            log.Append(_batch, 0);
        }

        return log.LogEndOffset;
    }
}
