using System.Buffers;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// What each client's produce request carries, down to the records: every capture sent two keyed records with
/// two headers to partition 0, one request per codec (see Vectors/README.md for the exact commands).
/// </summary>
public class ProduceVectorTests
{
    [Theory]
    [MemberData(nameof(VectorFile.ProduceRequests), MemberType = typeof(VectorFile))]
    public void DecodeReadsTopicPartitionAndAcksWhenClientProduced(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        var request = DecodedFrame.Of(vector).BodyAs<ProduceRequest>();

        Assert.Null(request.TransactionalId);
        // librdkafka defaults to acks=all (-1), kafka-python to acks=1; both send request.timeout.ms = 30 s.
        Assert.Equal(vector.ExpectedClientId == "kafka-python" ? 1 : -1, request.Acks);
        Assert.Equal(30_000, request.TimeoutMs);
        ProduceRequest.TopicProduceData topic = Assert.Single(request.TopicData);
        Assert.Equal(ExpectedTopic(vector), topic.Name);
        ProduceRequest.PartitionProduceData partition = Assert.Single(topic.PartitionData);
        Assert.Equal(0, partition.Index);
        Assert.NotNull(partition.Records);
    }

    [Theory]
    [MemberData(nameof(VectorFile.ProduceRequests), MemberType = typeof(VectorFile))]
    public void RecordBatchUsesCaptureCodecAndValidCrcWhenClientProduced(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        byte[] batch = RecordsOf(vector).ToArray();

        RecordBatchHeader header = RecordBatchHeader.Read(batch);

        Assert.Equal(RecordBatchHeader.CurrentMagic, header.Magic);
        Assert.Equal(ExpectedCompression(vector.Codec!), header.Compression);
        Assert.Equal(batch.Length, header.TotalSize);
        // The CRC-32C covers attributes to the end; computed here independently of the records reader.
        Assert.Equal(Crc32C.Compute(batch.AsSpan(RecordBatchHeader.AttributesOffset)), header.Crc);
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(2, header.RecordCount);
        Assert.Equal(1, header.LastOffsetDelta);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        Assert.False(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal(-1, header.BaseSequence);
    }

    [Theory]
    [MemberData(nameof(VectorFile.ProduceRequests), MemberType = typeof(VectorFile))]
    public void RecordsCarryCapturedKeysValuesAndHeadersWhenDecompressed(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        DecodedBatch batch = DecodedBatch.Single(RecordsOf(vector));

        Assert.True(batch.OffsetsAreContiguous);
        Assert.Equal(ExpectedRecords(vector), batch.Records);
    }

    [Theory]
    [MemberData(nameof(VectorFile.ProduceRequests), MemberType = typeof(VectorFile))]
    public void RecordsDecodeIdenticallyWhenFrameIsSplitAtEveryOffset(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        IReadOnlyList<DecodedRecord> expected = ExpectedRecords(vector);

        foreach (ReadOnlySequence<byte> split in Primitives.Segments.EveryTwoWaySplit(vector.Data))
        {
            var request = DecodedFrame.Of(vector, split).BodyAs<ProduceRequest>();
            ReadOnlySequence<byte> records = request.TopicData[0].PartitionData[0].Records!.Value;
            Assert.Equal(expected, DecodedBatch.Single(records).Records);
        }
    }

    /// <summary>The records a capture sent, in the shape DecodedBatch produces (see capture-vectors.sh).</summary>
    public static IReadOnlyList<DecodedRecord> ExpectedRecords(VectorFile vector)
    {
        (string valuePrefix, string client) = vector.Client switch
        {
            var c when c.StartsWith("kcat", StringComparison.Ordinal) => ($"value-{vector.Codec}", "kcat"),
            var c when c.StartsWith("kafka-python", StringComparison.Ordinal) => ($"value-kp-{vector.Codec}", "kafka-python"),
            _ => ($"value-ck-{vector.Codec}", "confluent-kafka"),
        };

        return
        [
            .. Enumerable.Range(1, 2).Select(i => new DecodedRecord(
                i - 1,
                $"key-{i}",
                $"{valuePrefix}-{i}",
                [new("codec", vector.Codec), new("client", client)])),
        ];
    }

    public static string ExpectedTopic(VectorFile vector) =>
        vector.ExpectedClientId == "kafka-python" ? "vec-kafka-python" : "vec";

    public static CompressionType ExpectedCompression(string codec) => codec switch
    {
        "none" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown codec"),
    };

    private static ReadOnlySequence<byte> RecordsOf(VectorFile vector) =>
        DecodedFrame.Of(vector).BodyAs<ProduceRequest>().TopicData[0].PartitionData[0].Records!.Value;
}
