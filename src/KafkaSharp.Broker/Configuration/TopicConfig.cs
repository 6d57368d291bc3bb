namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// A topic's effective configuration: its own overrides (set by CreateTopics, AlterConfigs or
/// IncrementalAlterConfigs), else the broker's synonym configs, else Kafka's topic defaults.
/// Building one validates the overrides; a <see cref="ConfigException"/> maps to Kafka's INVALID_CONFIG error.
/// Topic configs change live: build a new instance with <see cref="WithOverrides"/> or, after a dynamic broker
/// config change, <see cref="WithBroker"/>.
/// </summary>
public sealed partial class TopicConfig
{
    private readonly BrokerConfig _broker;
    private readonly Dictionary<string, string> _overrides;
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    private TopicConfig(BrokerConfig broker, Dictionary<string, string> overrides)
    {
        _broker = broker;
        _overrides = overrides;
        foreach (var topicConfig in TopicConfigCatalog.All)
        {
            _values[topicConfig.Name] = overrides.TryGetValue(topicConfig.Name, out var raw)
                ? topicConfig.Definition.ParseAndValidate(raw)
                : broker.TopicConfigDefault(topicConfig.Name);
        }

        ValidateCombinations();
    }

    /// <summary>The topic's own settings, as given.</summary>
    public IReadOnlyDictionary<string, string> Overrides => _overrides;

    /// <summary>Validates <paramref name="overrides"/> against <paramref name="broker"/> and builds the topic's config.</summary>
    public static TopicConfig Create(BrokerConfig broker, IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            copy[key] = value;
        }

        ValidateNames(copy.Keys);
        return new TopicConfig(broker, copy);
    }

    /// <summary>Throws <see cref="ConfigException"/> for the first name that is not a topic config.</summary>
    public static void ValidateNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (!TopicConfigCatalog.TryGet(name, out _))
            {
                throw new ConfigException(name, $"Unknown topic config name: {name}");
            }
        }
    }

    /// <summary>The same topic with a new set of overrides (AlterConfigs replaces them all).</summary>
    public TopicConfig WithOverrides(IReadOnlyDictionary<string, string> overrides) => Create(_broker, overrides);

    /// <summary>The same topic after IncrementalAlterConfigs operations (validated like any other overrides).</summary>
    public TopicConfig WithChanges(IEnumerable<IncrementalConfigChange> changes) =>
        Create(_broker, IncrementalConfigChanges.ApplyToTopic(_overrides, changes));

    /// <summary>The same overrides over a changed broker configuration.</summary>
    public TopicConfig WithBroker(BrokerConfig broker) => Create(broker, _overrides);

    /// <summary>The typed effective value of a topic config (see <see cref="ConfigValues.Parse"/> for the types).</summary>
    public object? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"'{name}' is not a topic config.");

    private void ValidateCombinations()
    {
        if (MinCompactionLagMs > MaxCompactionLagMs)
        {
            throw new ConfigException("min.compaction.lag.ms",
                $"conflict topic config setting min.compaction.lag.ms ({MinCompactionLagMs}) > max.compaction.lag.ms ({MaxCompactionLagMs})");
        }

        // Kafka refuses these two in ZooKeeper mode.
        foreach (var key in new[] { "remote.log.delete.on.disable", "remote.log.copy.disable" })
        {
            if ((bool)_values[key]!)
            {
                throw new ConfigException(key, "It is invalid to set `remote.log.delete.on.disable` or `remote.log.copy.disable` under Zookeeper's mode.");
            }
        }

        if (RemoteStorageEnable && !_broker.GetBoolean("remote.log.storage.system.enable"))
        {
            throw new ConfigException("remote.storage.enable",
                "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.");
        }
    }
}
