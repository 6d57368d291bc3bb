using BenchmarkDotNet.Attributes;
using KafkaSharp.Benchmarks.Support;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Benchmarks.Records;

/// <summary>
/// Open a 1,000-record batch (CRC check, decompression, validation) and visit every record's key, value and
/// headers, as the broker does for validation and as a consumer does. Goal: 0 B allocated per record; the
/// Allocated column is per batch, so divide by 1,000. Compressed batches decompress into pooled buffers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class RecordBatchIterationBenchmarks : IBytesPerOperation
{
    public const int RecordCount = 1_000;
    private const int ValueSize = 100;

    private byte[] _batch = [];

    [Params(CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd)]
    public CompressionType Compression { get; set; }

    /// <summary>Bytes of the batch as it sits on the wire (compressed size for compressed batches).</summary>
    public long BytesPerOperation => SampleBatches.Build(RecordCount, ValueSize, Compression).Length;

    [GlobalSetup]
    public void Setup() => _batch = SampleBatches.Build(RecordCount, ValueSize, Compression);

    [Benchmark]
    public long OpenAndIterate()
    {
        using RecordBatchReader reader = RecordBatchReader.Open(_batch);
        long checksum = 0;
        foreach (Record record in reader)
        {
            checksum += record.Key.Length + record.Value.Length + record.Offset;
            foreach (RecordHeader header in record.Headers)
            {
                checksum += header.Key.Length + header.Value.Length;
            }
        }

        return checksum;
    }
}
