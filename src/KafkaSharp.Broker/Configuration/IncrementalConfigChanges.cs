namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Applies IncrementalAlterConfigs operations to a set of overrides the way Kafka's ConfigAdminManager does:
/// SET and DELETE replace or drop a key; APPEND and SUBTRACT work on comma lists only, starting from the current
/// override or else the config's own default, APPEND skipping values already present and SUBTRACT removing one
/// occurrence per value. The result still has to be validated (e.g. by <see cref="TopicConfig.Create"/>).
/// </summary>
public static class IncrementalConfigChanges
{
    /// <summary>Applies changes to a topic's overrides.</summary>
    public static Dictionary<string, string> ApplyToTopic(IReadOnlyDictionary<string, string> overrides, IEnumerable<IncrementalConfigChange> changes) =>
        Apply(overrides, changes, name => TopicConfigCatalog.TryGet(name, out var topicConfig) ? topicConfig.Definition : null);

    /// <summary>Applies changes to a broker's dynamic configs (per-broker or cluster default).</summary>
    public static Dictionary<string, string> ApplyToBroker(IReadOnlyDictionary<string, string> dynamicConfigs, IEnumerable<IncrementalConfigChange> changes) =>
        Apply(dynamicConfigs, changes, name => BrokerConfigCatalog.TryResolve(name, out var definition) ? definition : null);

    private static Dictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> current,
        IEnumerable<IncrementalConfigChange> changes,
        Func<string, ConfigDefinition?> definitionOf)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        var result = current.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change.Operation)
            {
                case AlterConfigOpType.Set:
                    result[change.Name] = change.Value ?? string.Empty;
                    break;
                case AlterConfigOpType.Delete:
                    result.Remove(change.Name);
                    break;
                case AlterConfigOpType.Append:
                    result[change.Name] = string.Join(',', Append(ListBase(result, change, definitionOf, "append", dropEmpty: true), JavaSplit(change.Value)));
                    break;
                case AlterConfigOpType.Subtract:
                    result[change.Name] = string.Join(',', Subtract(ListBase(result, change, definitionOf, "subtract", dropEmpty: false), JavaSplit(change.Value)));
                    break;
                default:
                    throw new ConfigException(change.Name, $"Unknown alter config operation {(byte)change.Operation} for config key: {change.Name}");
            }
        }

        return result;
    }

    private static List<string> ListBase(
        Dictionary<string, string> current, IncrementalConfigChange change, Func<string, ConfigDefinition?> definitionOf, string verb, bool dropEmpty)
    {
        var definition = definitionOf(change.Name) ?? throw new ConfigException(change.Name, $"Unknown config name: {change.Name}");
        if (definition.Type != ConfigType.List)
        {
            throw new ConfigException(change.Name, $"Config value {verb} is not allowed for config key: {change.Name}");
        }

        var text = current.TryGetValue(change.Name, out var value) ? value : ConfigValues.Format(definition.DefaultValue) ?? string.Empty;
        return dropEmpty && text.Length == 0 ? [] : JavaSplit(text);
    }

    private static List<string> Append(List<string> existing, List<string> added)
    {
        // Filter against the old list only, as Kafka does (a value repeated in the request is added twice).
        var newValues = added.Where(value => !existing.Contains(value)).ToList();
        existing.AddRange(newValues);
        return existing;
    }

    private static List<string> Subtract(List<string> existing, List<string> removed)
    {
        foreach (var value in removed)
        {
            existing.Remove(value);
        }

        return existing;
    }

    /// <summary>Java's String.split(","): trailing empty strings dropped, but "" gives one empty element.</summary>
    private static List<string> JavaSplit(string? text)
    {
        var parts = (text ?? string.Empty).Split(',').ToList();
        if (parts.Count == 1)
        {
            return parts;
        }

        while (parts.Count > 0 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts;
    }
}
