using System.Buffers.Binary;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;

namespace KafkaSharp.Broker.Produce;

/// <summary>
/// Produce v8+ (KIP-467) names the records that made a batch INVALID_RECORD or INVALID_TIMESTAMP, so a producer can
/// tell which of its sends failed. The log validator only says that the batch failed; on that cold path the batch is
/// read once more (decompressed if needed) to find the records Kafka's LogValidator would name: a null key on a
/// compacted topic, a CreateTime timestamp outside message.timestamp.before/after.max.ms.
/// </summary>
internal static class RecordErrorLocator
{
    public static List<ProduceResponse.BatchIndexAndErrorMessage> Locate(ReadOnlySpan<byte> records, LogConfig config, long nowMs)
    {
        var errors = new List<ProduceResponse.BatchIndexAndErrorMessage>();
        if (records.Length < RecordBatchHeader.Size)
        {
            return errors;
        }

        int size = BinaryPrimitives.ReadInt32BigEndian(records[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
        if (size < RecordBatchHeader.Size || size > records.Length || records[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
        {
            return errors;
        }

        try
        {
            using RecordBatchReader batch = RecordBatchReader.Open(records[..size], verifyCrc: false);
            bool checkTime = config.MessageTimestampType == TimestampType.CreateTime && batch.Header.TimestampType == TimestampType.CreateTime;
            int index = 0;
            foreach (Record record in batch)
            {
                string? message = config.IsCompacted && record.IsKeyNull
                    ? "Compacted topic cannot accept message without key."
                    : checkTime && OutOfRange(record.Timestamp, config, nowMs)
                        ? $"Timestamp {record.Timestamp} of message with offset delta {record.OffsetDelta} is out of range."
                        : null;
                if (message is not null)
                {
                    errors.Add(new ProduceResponse.BatchIndexAndErrorMessage { BatchIndex = index, BatchIndexErrorMessage = message });
                }

                index++;
            }
        }
        catch (KafkaProtocolException)
        {
            // Not readable after all: the partition error alone has to do.
        }

        return errors;
    }

    private static bool OutOfRange(long timestamp, LogConfig config, long nowMs) =>
        (config.MessageTimestampBeforeMaxMs != long.MaxValue && timestamp < nowMs - config.MessageTimestampBeforeMaxMs)
        || (config.MessageTimestampAfterMaxMs != long.MaxValue && timestamp > nowMs + config.MessageTimestampAfterMaxMs);
}
