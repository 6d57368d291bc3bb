using System.Buffers;
using BenchmarkDotNet.Attributes;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>
/// The cost of idempotent-producer checks on append: 16,384 small batches (16 × 100 B records) through
/// PartitionLog.Append, without producer ids (baseline) and from one idempotent producer with consecutive sequences
/// (producer state looked up, sequence checked, batch metadata recorded). Small batches make the per-batch cost
/// visible. Goal: idempotent / plain ≤ 1.05 and no extra allocation per batch.
/// </summary>
[MemoryDiagnoser]
public class IdempotentAppendBenchmarks
{
    private const int Batches = 16384;
    private const int RecordsPerBatch = 16;
    private byte[][] _plain = [];
    private byte[][] _idempotent = [];
    private string _dir = "";
    private PartitionLog? _log;

    [GlobalSetup]
    public void Setup()
    {
        _plain = [.. Enumerable.Range(0, Batches).Select(_ => Build(-1, -1, -1))];
        _idempotent = [.. Enumerable.Range(0, Batches).Select(i => Build(42, 0, i * RecordsPerBatch))];
    }

    private static byte[] Build(long producerId, short epoch, int sequence)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence };
        var value = new byte[100];
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value);
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    [IterationSetup]
    public void OpenLog()
    {
        _dir = StorageBenchData.NewDirectory("idempotent");
        _log = PartitionLog.Open(Path.Combine(_dir, "bench-0"), new TopicPartition("bench", 0), LogConfig.Default, LogLoadState.Unknown);
        _log.LeaderEpochs.Assign(0, 0);
    }

    [IterationCleanup]
    public void CloseLog()
    {
        _log?.Dispose();
        StorageBenchData.DeleteDirectory(_dir);
    }

    [Benchmark(Baseline = true)]
    public long WithoutProducerId() => AppendAll(_plain);

    [Benchmark]
    public long IdempotentProducer() => AppendAll(_idempotent);

    private long AppendAll(byte[][] batches)
    {
        PartitionLog log = _log!;
        foreach (byte[] batch in batches)
        {
            log.Append(batch, 0);
        }

        return log.LogEndOffset;
    }
}
