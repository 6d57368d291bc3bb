using System.Buffers;
using BenchmarkDotNet.Attributes;
using KafkaSharp.Protocol;

namespace KafkaSharp.Benchmarks.ProtocolMessages;

/// <summary>
/// Varints are in every record (lengths, deltas) and every flexible-version field, so their cost multiplies by
/// records per batch. 1,000 values per operation, mixed sizes like a record batch's deltas and lengths.
/// </summary>
[MemoryDiagnoser]
public class VarIntBenchmarks
{
    private const int Count = 1000;

    private readonly ArrayBufferWriter<byte> _output = new(Count * 5);
    private int[] _values = [];
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = [.. Enumerable.Range(0, Count).Select(i => (i % 4) switch
        {
            0 => i,                                 // offset delta: one or two bytes
            1 => random.Next(-1, 64),               // key length, often -1
            2 => random.Next(100, 20_000),          // value length
            _ => random.Next(int.MinValue, int.MaxValue),
        })];
        _output.ResetWrittenCount();
        Write();
        _encoded = _output.WrittenSpan.ToArray();
    }

    [Benchmark]
    public long Write()
    {
        _output.ResetWrittenCount();
        var writer = new KafkaWriter(_output);
        foreach (int value in _values)
        {
            writer.WriteVarInt(value);
        }

        writer.Flush();
        return writer.BytesWritten;
    }

    [Benchmark]
    public long Read()
    {
        var reader = new KafkaReader(_encoded);
        long sum = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += reader.ReadVarInt();
        }

        return sum;
    }
}
