namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// A topic-level config and the broker configs that supply its value when the topic does not override it,
/// highest priority first (Kafka's ServerTopicConfigSynonyms), e.g. retention.ms ← log.retention.ms,
/// log.retention.minutes, log.retention.hours.
/// </summary>
public sealed record TopicConfigDefinition(ConfigDefinition Definition, IReadOnlyList<string> BrokerSynonyms)
{
    public string Name => Definition.Name;

    /// <summary>The broker config DescribeConfigs follows for this topic config (the first synonym), or null.</summary>
    public string? PrimaryBrokerSynonym => BrokerSynonyms.Count > 0 ? BrokerSynonyms[0] : null;
}
