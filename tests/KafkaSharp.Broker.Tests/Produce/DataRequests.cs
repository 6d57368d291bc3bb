using System.Buffers;
using System.Text;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Broker.Tests.Produce;

/// <summary>Record batches and Produce/Fetch requests for the data-plane tests.</summary>
internal static class DataRequests
{
    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static async Task CreateTopicAsync(TestBroker broker, string name, int partitions = 1, params (string Key, string Value)[] configs)
    {
        TopicCreationResult result = await broker.Broker.Topics.CreateTopicAsync(
            new TopicCreation(name, partitions, Configs: configs.ToDictionary(c => c.Key, c => (string?)c.Value)), validateOnly: false);
        Assert.Equal(ErrorCode.None, result.Error);
    }

    /// <summary>One magic-2 batch of key/value records (null strings stay null) at offsets 0..n-1.</summary>
    public static byte[] Batch(CompressionType compression, long timestamp, params (string? Key, string? Value)[] records)
    {
        using var builder = new RecordBatchBuilder { Compression = compression };
        foreach ((string? key, string? value) in records)
        {
            builder.Append(timestamp, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value),
                [new RecordHeaderValue("h", Encoding.UTF8.GetBytes("v-" + value))]);
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Batch(params (string? Key, string? Value)[] records) => Batch(CompressionType.None, Now, records);

    /// <summary>A legacy (magic 0/1) message set, as pre-0.11 producers send.</summary>
    public static byte[] LegacySet(byte magic, params string[] values)
    {
        var output = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessageSet(output, magic, 0, [.. values.Select(v => new LegacyMessageData(Now, Encoding.UTF8.GetBytes("k" + v), Encoding.UTF8.GetBytes(v)))]);
        return output.WrittenSpan.ToArray();
    }

    public static ProduceRequest ProduceTo(string topic, int partition, byte[]? records, short acks = -1, int timeoutMs = 5000) => new()
    {
        Acks = acks,
        TimeoutMs = timeoutMs,
        TopicData =
        [
            new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = records is null ? null : new ReadOnlySequence<byte>(records) }],
            },
        ],
    };

    public static FetchRequest FetchFrom(string topic, int partition, long offset, int maxWaitMs = 0, int minBytes = 0, Guid topicId = default,
        int partitionMaxBytes = 1 << 20, int currentLeaderEpoch = -1) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = minBytes,
        MaxBytes = 50 << 20,
        SessionEpoch = -1,
        Topics =
        [
            new FetchRequest.FetchTopic
            {
                Topic = topic,
                TopicId = topicId,
                Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes, CurrentLeaderEpoch = currentLeaderEpoch }],
            },
        ],
    };

    public static ProduceResponse.PartitionProduceResponse Single(ProduceResponse response) =>
        Assert.Single(Assert.Single(response.Responses).PartitionResponses);

    public static FetchResponse.PartitionData Single(FetchResponse response) =>
        Assert.Single(Assert.Single(response.Responses).Partitions);

    public static byte[] Bytes(ReadOnlySequence<byte>? records) => records?.ToArray() ?? [];

    /// <summary>The (key, value, header value) of every record in magic-2 batches.</summary>
    public static List<(string? Key, string? Value, long Offset)> Decode(byte[] records)
    {
        var result = new List<(string?, string?, long)>();
        var reader = new RecordSetReader(records);
        while (reader.TryReadNext(out RecordSetEntry entry))
        {
            result.AddRange(DecodeEntry(entry));
        }

        return result;
    }

    /// <summary>The (key, value, offset, magic) of every message in a legacy message set (down-converted fetches).</summary>
    public static List<(string? Key, string? Value, long Offset, byte Magic)> DecodeLegacy(byte[] records)
    {
        var result = new List<(string?, string?, long, byte)>();
        using var reader = new LegacyMessageSetReader(records, allowPartialTail: false);
        while (reader.TryReadNext(out LegacyMessage message))
        {
            result.Add((message.IsKeyNull ? null : Encoding.UTF8.GetString(message.Key), message.IsValueNull ? null : Encoding.UTF8.GetString(message.Value), message.Offset, message.Magic));
        }

        return result;
    }

    private static List<(string?, string?, long)> DecodeEntry(RecordSetEntry entry)
    {
        var result = new List<(string?, string?, long)>();
        using RecordBatchReader batch = RecordBatchReader.Open(entry.Data);
        foreach (KafkaSharp.Protocol.Records.Record record in batch)
        {
            result.Add((record.IsKeyNull ? null : Encoding.UTF8.GetString(record.Key), record.IsValueNull ? null : Encoding.UTF8.GetString(record.Value), record.Offset));
        }

        return result;
    }
}
