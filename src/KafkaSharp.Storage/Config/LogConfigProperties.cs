using System.Globalization;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Config;

/// <summary>Parses Kafka topic-config names and values into a <see cref="LogConfig"/>.</summary>
internal static class LogConfigProperties
{
    public static LogConfig Apply(LogConfig config, IEnumerable<KeyValuePair<string, string>> properties)
    {
        foreach ((string name, string value) in properties)
        {
            config = name switch
            {
                "segment.bytes" => config with { SegmentBytes = ParseInt(name, value, 14) },
                "segment.ms" => config with { SegmentMs = ParseLong(name, value, 1) },
                "index.interval.bytes" => config with { IndexIntervalBytes = ParseInt(name, value, 0) },
                "segment.index.bytes" => config with { SegmentIndexBytes = ParseInt(name, value, 4) },
                "retention.ms" => config with { RetentionMs = ParseLong(name, value, -1) },
                "retention.bytes" => config with { RetentionBytes = ParseLong(name, value, long.MinValue) },
                "cleanup.policy" => config with { CleanupPolicy = ParsePolicy(value) },
                "max.message.bytes" => config with { MaxMessageBytes = ParseInt(name, value, 0) },
                "message.timestamp.type" => config with { MessageTimestampType = ParseTimestampType(value) },
                "message.timestamp.before.max.ms" => config with { MessageTimestampBeforeMaxMs = ParseLong(name, value, 0) },
                "message.timestamp.after.max.ms" => config with { MessageTimestampAfterMaxMs = ParseLong(name, value, 0) },
                "delete.retention.ms" => config with { DeleteRetentionMs = ParseLong(name, value, 0) },
                "min.cleanable.dirty.ratio" => config with { MinCleanableDirtyRatio = ParseRatio(name, value) },
                "min.compaction.lag.ms" => config with { MinCompactionLagMs = ParseLong(name, value, 0) },
                "flush.messages" => config with { FlushMessages = ParseLong(name, value, 1) },
                "flush.ms" => config with { FlushMs = ParseLong(name, value, 0) },
                "file.delete.delay.ms" => config with { FileDeleteDelayMs = ParseLong(name, value, 0) },
                "preallocate" => config with { Preallocate = bool.Parse(value) },
                _ => config,
            };
        }

        return config;
    }

    private static int ParseInt(string name, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed) || parsed < min)
        {
            throw new ArgumentException($"Invalid value {value} for {name}.", nameof(value));
        }

        return parsed;
    }

    private static long ParseLong(string name, string value, long min)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) || parsed < min)
        {
            throw new ArgumentException($"Invalid value {value} for {name}.", nameof(value));
        }

        return parsed;
    }

    private static double ParseRatio(string name, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || parsed is < 0 or > 1)
        {
            throw new ArgumentException($"Invalid value {value} for {name}.", nameof(value));
        }

        return parsed;
    }

    private static CleanupPolicy ParsePolicy(string value)
    {
        var policy = CleanupPolicy.None;
        foreach (string part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw new ArgumentException($"Invalid cleanup.policy {value}.", nameof(value)),
            };
        }

        return policy;
    }

    private static TimestampType ParseTimestampType(string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw new ArgumentException($"Invalid message.timestamp.type {value}.", nameof(value)),
    };
}
