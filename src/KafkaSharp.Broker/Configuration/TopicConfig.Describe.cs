namespace KafkaSharp.Broker.Configuration;

public sealed partial class TopicConfig
{
    /// <summary>
    /// Every topic config as DescribeConfigs (resource type TOPIC) reports it. The synonym chain starts with the
    /// topic's own override (DYNAMIC_TOPIC_CONFIG) if any, then the broker chain of the topic config's primary broker
    /// synonym, as Kafka builds it; the source is the chain's first link, else DEFAULT_CONFIG.
    /// </summary>
    public IReadOnlyList<ConfigEntry> Describe() => [.. TopicConfigCatalog.All.Select(c => DescribeOne(c.Name))];

    /// <summary>One topic config; see <see cref="Describe"/>.</summary>
    public ConfigEntry DescribeOne(string name)
    {
        var topicConfig = TopicConfigCatalog.Get(name);
        var value = ConfigValues.Format(Get(name));
        var synonyms = new List<ConfigSynonym>();
        if (_overrides.ContainsKey(name))
        {
            synonyms.Add(new ConfigSynonym(name, value, ConfigSource.DynamicTopicConfig));
        }

        if (topicConfig.PrimaryBrokerSynonym is { } brokerName)
        {
            synonyms.AddRange(_broker.SynonymsOf(brokerName, isSensitive: false));
        }

        return new ConfigEntry(
            name,
            value,
            ConfigValues.Format(_broker.TopicConfigDefault(name)),
            synonyms.Count > 0 ? synonyms[0].Source : ConfigSource.DefaultConfig,
            IsSensitive: false,
            IsReadOnly: false,
            topicConfig.Definition.Type,
            synonyms);
    }
}
