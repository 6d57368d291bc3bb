using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;

namespace KafkaSharp.Broker.Topics;

/// <summary>The storage engine's view of a topic's effective config.</summary>
public static class LogConfigs
{
    public static LogConfig From(TopicConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        CleanupPolicy policy = CleanupPolicy.None;
        if (config.IsDeleteEnabled)
        {
            policy |= CleanupPolicy.Delete;
        }

        if (config.IsCompacted)
        {
            policy |= CleanupPolicy.Compact;
        }

        return new LogConfig
        {
            SegmentBytes = config.SegmentBytes,
            SegmentMs = config.SegmentMs,
            IndexIntervalBytes = config.IndexIntervalBytes,
            SegmentIndexBytes = config.SegmentIndexBytes,
            RetentionMs = config.RetentionMs,
            RetentionBytes = config.RetentionBytes,
            CleanupPolicy = policy,
            MaxMessageBytes = config.MaxMessageBytes,
            MessageTimestampType = config.MessageTimestampType == MessageTimestampType.LogAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime,
            MessageTimestampBeforeMaxMs = config.MessageTimestampBeforeMaxMs,
            MessageTimestampAfterMaxMs = config.MessageTimestampAfterMaxMs,
            DeleteRetentionMs = config.DeleteRetentionMs,
            MinCleanableDirtyRatio = config.MinCleanableDirtyRatio,
            MinCompactionLagMs = config.MinCompactionLagMs,
            FlushMessages = config.FlushMessages,
            FlushMs = config.FlushMs,
            FileDeleteDelayMs = config.FileDeleteDelayMs,
            Preallocate = config.Preallocate,
        };
    }
}
