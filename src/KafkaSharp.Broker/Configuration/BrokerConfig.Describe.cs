namespace KafkaSharp.Broker.Configuration;

public sealed partial class BrokerConfig
{
    /// <summary>
    /// Every broker config as DescribeConfigs (resource type BROKER, this broker's id) reports it: all documented
    /// configs plus any other key that was set, each with its value, default, source and synonyms. Passwords and keys
    /// of unknown type (plugin settings) are marked sensitive and their values hidden, as Kafka does.
    /// </summary>
    public IReadOnlyList<ConfigEntry> Describe()
    {
        var names = BrokerConfigCatalog.Definitions.Where(d => !d.IsInternal).Select(d => d.Name)
            .Concat(_layers.SetKeys())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [.. names.Select(DescribeOne)];
    }

    /// <summary>
    /// The cluster-wide dynamic defaults, as DescribeConfigs reports the BROKER resource with an empty name: only the
    /// keys set at that level, each with only its DYNAMIC_DEFAULT_BROKER_CONFIG synonyms.
    /// </summary>
    public IReadOnlyList<ConfigEntry> DescribeClusterDefaults() =>
        [.. _layers.DynamicDefault.Keys.Order(StringComparer.Ordinal).Select(name =>
        {
            var entry = DescribeOne(name);
            var synonyms = entry.Synonyms.Where(s => s.Source == ConfigSource.DynamicDefaultBrokerConfig).ToList();
            var value = entry.IsSensitive ? null : _layers.DynamicDefault[name];
            return entry with
            {
                Value = value,
                Source = synonyms.Count > 0 ? synonyms[0].Source : ConfigSource.DefaultConfig,
                Synonyms = synonyms,
            };
        })];

    /// <summary>One config as DescribeConfigs reports it; see <see cref="Describe"/>.</summary>
    public ConfigEntry DescribeOne(string name)
    {
        var isDefined = BrokerConfigCatalog.TryGet(name, out var definition);
        var isDynamicOnly = !isDefined && BrokerConfigCatalog.TryGetDynamicOnly(name, out definition);
        if (!isDefined && !isDynamicOnly)
        {
            BrokerConfigCatalog.TryResolve(name, out definition);
        }

        // Kafka hides what it cannot type: a plugin's setting might be a secret.
        var isSensitive = definition is null || definition.IsSensitive;
        var value = isDefined ? ConfigValues.Format(_values[name]) : GetOriginal(name);
        var synonyms = SynonymsOf(name, isSensitive);
        var defaultValue = isDefined ? ConfigValues.Format(DefaultValue(definition!)) : null;
        return new ConfigEntry(
            name,
            isSensitive ? null : value,
            isSensitive ? null : defaultValue,
            synonyms.Count > 0 ? synonyms[0].Source : ConfigSource.DefaultConfig,
            isSensitive,
            IsReadOnly: !(isDefined || isDynamicOnly) || definition!.IsReadOnly,
            definition?.Type ?? ConfigType.Unknown,
            synonyms);
    }

    /// <summary>
    /// Kafka's synonym chain for a broker config: for each level (dynamic per-broker, dynamic default, static,
    /// default) the names of <see cref="BrokerConfigCatalog.Synonyms"/> that have a value there, then everything
    /// before the first entry for <paramref name="name"/> itself dropped. So describing log.retention.hours never
    /// shows log.retention.ms, but describing log.retention.ms with only hours set shows nothing.
    /// </summary>
    internal IReadOnlyList<ConfigSynonym> SynonymsOf(string name, bool isSensitive)
    {
        var candidates = BrokerConfigCatalog.Synonyms(name);
        var chain = new List<ConfigSynonym>();
        foreach (var (values, source) in _layers.SetLayers())
        {
            foreach (var candidate in candidates)
            {
                if (values.TryGetValue(candidate, out var raw))
                {
                    chain.Add(new ConfigSynonym(candidate, isSensitive ? null : raw, source));
                }
            }
        }

        foreach (var candidate in candidates)
        {
            if (BrokerConfigCatalog.TryGet(candidate, out var definition) && DefaultValue(definition) is { } defaultValue)
            {
                chain.Add(new ConfigSynonym(candidate, isSensitive ? null : ConfigValues.Format(defaultValue), ConfigSource.DefaultConfig));
            }
        }

        return [.. chain.SkipWhile(synonym => synonym.Name != name)];
    }
}
