using System.Buffers;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Up-converts a legacy message set (magic 0/1, compressed or not) into one magic-2 batch, as a broker does
/// with an old client's produce request before appending it to a magic-2 log.
/// </summary>
public static class LegacyMessageConverter
{
    /// <summary>
    /// Writes the messages of <paramref name="messageSet"/> as one batch compressed with
    /// <paramref name="compression"/>. Records get consecutive offsets from the first message's offset (a
    /// produced set's offsets are placeholders the broker reassigns anyway). Magic-0 messages have no
    /// timestamp and get -1; the batch is LogAppendTime only if every message was. Returns the record count.
    /// </summary>
    public static int ToRecordBatch(
        ReadOnlySpan<byte> messageSet,
        IBufferWriter<byte> output,
        CompressionType compression = CompressionType.None,
        bool verifyCrc = true,
        int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        using var builder = new RecordBatchBuilder { Compression = compression };
        using var reader = new LegacyMessageSetReader(messageSet, allowPartialTail: false, verifyCrc, maxDecompressedBytes);
        bool allLogAppendTime = true;
        long maxTimestamp = -1;
        while (reader.TryReadNext(out LegacyMessage message))
        {
            if (builder.Count == 0)
            {
                builder.BaseOffset = message.Offset;
            }

            allLogAppendTime &= message.TimestampType == TimestampType.LogAppendTime;
            maxTimestamp = Math.Max(maxTimestamp, message.Timestamp);
            builder.Append(
                builder.NextOffset, message.Timestamp, message.Key, message.IsKeyNull, message.Value, message.IsValueNull);
        }

        if (builder.Count == 0)
        {
            RecordThrow.Corrupt("The legacy message set holds no messages.");
        }

        if (allLogAppendTime)
        {
            builder.TimestampType = TimestampType.LogAppendTime;
            builder.LogAppendTime = maxTimestamp;
        }

        builder.WriteTo(output);
        return builder.Count;
    }
}
