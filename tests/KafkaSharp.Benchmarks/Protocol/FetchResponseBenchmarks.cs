using System.Buffers;
using BenchmarkDotNet.Attributes;
using KafkaSharp.Benchmarks.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Benchmarks.ProtocolMessages;

/// <summary>
/// A fetch response for a consumer of 5 partitions, a 16 KiB batch each. Encoding is the broker's hot path
/// (every poll); records are slices copied once into the output. v11 is librdkafka 2.0.2's fetch version,
/// v12 the first flexible one.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class FetchResponseBenchmarks : IBytesPerOperation
{
    private const int Partitions = 5;
    private const int BatchBytes = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private byte[] _frame = [];
    private ResponseHeader _header = new();
    private FetchResponse _response = new();

    [Params((short)11, (short)12)]
    public short Version { get; set; }

    public long BytesPerOperation => Build(Version).Frame.Length;

    [GlobalSetup]
    public void Setup() => (_header, _response, _frame) = Build(Version);

    [Benchmark]
    public int Decode()
    {
        var reader = new KafkaReader(_frame);
        var header = new ResponseHeader();
        header.Read(ref reader, ApiMessageTable.ResponseHeaderVersion(ApiKey.Fetch, Version));
        var response = new FetchResponse();
        response.Read(ref reader, Version);
        return response.Responses[0].Partitions.Count;
    }

    [Benchmark]
    public long Encode()
    {
        _output.ResetWrittenCount();
        var writer = new KafkaWriter(_output);
        _header.Write(ref writer, ApiMessageTable.ResponseHeaderVersion(ApiKey.Fetch, Version));
        _response.Write(ref writer, Version);
        writer.Flush();
        return writer.BytesWritten;
    }

    /// <summary>Size first, then write: how the broker frames a response (4-byte length, then the bytes).</summary>
    [Benchmark]
    public int Size() =>
        _header.Size(ApiMessageTable.ResponseHeaderVersion(ApiKey.Fetch, Version)) + _response.Size(Version);

    private static (ResponseHeader Header, FetchResponse Response, byte[] Frame) Build(short version)
    {
        byte[] batch = SampleBatches.OfSize(BatchBytes);
        var response = new FetchResponse();
        var topic = new FetchResponse.FetchableTopicResponse { Topic = "orders.v1" };
        for (int partition = 0; partition < Partitions; partition++)
        {
            topic.Partitions.Add(new FetchResponse.PartitionData
            {
                PartitionIndex = partition,
                HighWatermark = 1_000_000,
                LastStableOffset = 1_000_000,
                LogStartOffset = 0,
                Records = new ReadOnlySequence<byte>(batch),
            });
        }

        response.Responses.Add(topic);
        var header = new ResponseHeader { CorrelationId = 42 };
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        header.Write(ref writer, ApiMessageTable.ResponseHeaderVersion(ApiKey.Fetch, version));
        response.Write(ref writer, version);
        writer.Flush();
        return (header, response, output.WrittenSpan.ToArray());
    }
}
