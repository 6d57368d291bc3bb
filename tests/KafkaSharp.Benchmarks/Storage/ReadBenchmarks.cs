using BenchmarkDotNet.Attributes;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>
/// Read throughput from the page cache: fetch a 64 MiB log from offset 0 in 1 MiB fetches and copy each file slice
/// into a buffer (what the network layer does before sending), against copying the same file with RandomAccess.
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private const int FetchBytes = 1024 * 1024;
    private readonly byte[] _buffer = new byte[2 * FetchBytes];
    private string _dir = "";
    private PartitionLog? _log;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StorageBenchData.NewDirectory("read");
        _log = PartitionLog.Open(Path.Combine(_dir, "bench-0"), new TopicPartition("bench", 0), LogConfig.Default, LogLoadState.Unknown);
        byte[] batch = StorageBenchData.Batch();
        for (long written = 0; written < 64L * 1024 * 1024; written += batch.Length)
        {
            _log.Append(batch, 0);
        }

        _log.UpdateHighWatermark(_log.LogEndOffset);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Dispose();
        StorageBenchData.DeleteDirectory(_dir);
    }

    [Benchmark(Baseline = true)]
    public long RawRandomAccessRead()
    {
        string path = Path.Combine(_dir, "bench-0", "00000000000000000000.log");
        using var handle = File.OpenHandle(path);
        long position = 0;
        int read;
        while ((read = RandomAccess.Read(handle, _buffer.AsSpan(0, FetchBytes), position)) > 0)
        {
            position += read;
        }

        return position;
    }

    [Benchmark]
    public long PartitionLogRead()
    {
        PartitionLog log = _log!;
        long offset = 0;
        long bytes = 0;
        long end = log.LogEndOffset;
        while (offset < end)
        {
            LogReadResult result = log.Read(offset, FetchBytes);
            result.Records.CopyTo(_buffer);
            bytes += result.Records.Length;
            offset = NextOffset(_buffer.AsSpan(0, result.Records.Length));
        }

        return bytes;
    }

    private static long NextOffset(ReadOnlySpan<byte> batches)
    {
        long next = 0;
        while (!batches.IsEmpty)
        {
            var header = KafkaSharp.Protocol.Records.RecordBatchHeader.Read(batches);
            next = header.NextOffset;
            batches = batches[header.TotalSize..];
        }

        return next;
    }
}
