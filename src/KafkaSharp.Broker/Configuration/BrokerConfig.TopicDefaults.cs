namespace KafkaSharp.Broker.Configuration;

public sealed partial class BrokerConfig
{
    /// <summary>
    /// The value a topic config takes when the topic does not override it: derived from the broker's synonyms as
    /// Kafka's KafkaConfig.extractLogConfigMap does (first synonym with a value wins, hours and minutes converted to
    /// milliseconds), or the topic config's own default when it has no broker synonym.
    /// </summary>
    public object? TopicConfigDefault(string topicConfigName)
    {
        var topicConfig = TopicConfigCatalog.Get(topicConfigName);
        switch (topicConfigName)
        {
            case "retention.ms":
                return LogRetentionMs;

            // Until message.timestamp.difference.max.ms is removed, it stands in for an unset before/after limit.
            case "message.timestamp.before.max.ms":
                return TimestampLimitOrDifference("log.message.timestamp.before.max.ms");
            case "message.timestamp.after.max.ms":
                return TimestampLimitOrDifference("log.message.timestamp.after.max.ms");
        }

        foreach (var synonym in topicConfig.BrokerSynonyms)
        {
            if (Get(synonym) is { } value)
            {
                return ToTopicType(topicConfig.Definition.Type, value, MillisPerUnit(synonym));
            }
        }

        return topicConfig.Definition.DefaultValue;
    }

    private long TimestampLimitOrDifference(string limitName)
    {
        var limit = GetLong(limitName);
        return limit != long.MaxValue ? limit : GetLong("log.message.timestamp.difference.max.ms");
    }

    private static long MillisPerUnit(string brokerName) =>
        brokerName.EndsWith(".hours", StringComparison.Ordinal) ? MillisPerHour
        : brokerName.EndsWith(".minutes", StringComparison.Ordinal) ? MillisPerMinute
        : 1;

    private static object ToTopicType(ConfigType type, object value, long multiplier) => type switch
    {
        ConfigType.Long => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) * multiplier,
        ConfigType.Int => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
