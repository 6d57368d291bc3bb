namespace KafkaSharp.Broker.Configuration;

/// <summary>message.timestamp.type, with the ids Kafka's record batches use for the timestamp type bit.</summary>
public enum MessageTimestampType
{
    CreateTime = 0,
    LogAppendTime = 1,
}
