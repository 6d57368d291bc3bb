using System.Buffers;
using BenchmarkDotNet.Attributes;
using KafkaSharp.Benchmarks.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Benchmarks.ProtocolMessages;

/// <summary>
/// A produce request as a busy client sends it: one topic, 5 partitions, a 16 KiB batch each (~80 KiB frame).
/// Decoding must not copy the records (they stay slices of the frame); allocations are the message objects.
/// v7 is what librdkafka 2.0.2 and kafka-python 2.0.2 send, v9 the first flexible version (compact encodings).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ProduceRequestBenchmarks : IBytesPerOperation
{
    private const int Partitions = 5;
    private const int BatchBytes = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private byte[] _frame = [];
    private ReadOnlySequence<byte> _segmented;
    private RequestHeader _header = new();
    private ProduceRequest _request = new();

    [Params((short)7, (short)9)]
    public short Version { get; set; }

    public long BytesPerOperation => Frame(Version).Length;

    [GlobalSetup]
    public void Setup()
    {
        _frame = Frame(Version);
        _segmented = SegmentedSequence.Create(_frame, 4096);
        _header = new RequestHeader();
        _request = new ProduceRequest();
        Decode();
    }

    [Benchmark]
    public int Decode() => DecodeFrom(new ReadOnlySequence<byte>(_frame));

    /// <summary>The same frame as a pipe delivers it: 4 KiB segments, so batches straddle segment boundaries.</summary>
    [Benchmark]
    public int DecodeSegmented() => DecodeFrom(_segmented);

    [Benchmark]
    public long Encode()
    {
        _output.ResetWrittenCount();
        var writer = new KafkaWriter(_output);
        short headerVersion = ApiMessageTable.RequestHeaderVersion(ApiKey.Produce, Version);
        _header.Write(ref writer, headerVersion);
        _request.Write(ref writer, Version);
        writer.Flush();
        return writer.BytesWritten;
    }

    private int DecodeFrom(ReadOnlySequence<byte> frame)
    {
        var reader = new KafkaReader(frame);
        short headerVersion = ApiMessageTable.RequestHeaderVersion(ApiKey.Produce, Version);
        var header = new RequestHeader();
        header.Read(ref reader, headerVersion);
        var request = new ProduceRequest();
        request.Read(ref reader, Version);
        _header = header;
        _request = request;
        return request.TopicData[0].PartitionData.Count;
    }

    private static byte[] Frame(short version)
    {
        byte[] batch = SampleBatches.OfSize(BatchBytes);
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000 };
        var topic = new ProduceRequest.TopicProduceData { Name = "orders.v1" };
        for (int partition = 0; partition < Partitions; partition++)
        {
            topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = partition, Records = new ReadOnlySequence<byte>(batch) });
        }

        request.TopicData.Add(topic);
        var header = new RequestHeader { RequestApiKey = (short)ApiKey.Produce, RequestApiVersion = version, CorrelationId = 42, ClientId = "rdkafka" };
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        header.Write(ref writer, ApiMessageTable.RequestHeaderVersion(ApiKey.Produce, version));
        request.Write(ref writer, version);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
