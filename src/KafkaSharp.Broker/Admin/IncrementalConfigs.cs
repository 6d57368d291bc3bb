using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Admin;

/// <summary>
/// IncrementalAlterConfigs' operations (KIP-339) applied to a resource's current set of dynamic configs. APPEND and
/// SUBTRACT work on list configs only and start from the config's default when it is not set.
/// </summary>
public static class IncrementalConfigs
{
    /// <param name="definitionOf">The definition of a config name of this resource type, null when unknown.</param>
    public static IReadOnlyDictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> current,
        IEnumerable<ConfigAlteration> alterations,
        Func<string, ConfigDefinition?> definitionOf)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(alterations);
        ArgumentNullException.ThrowIfNull(definitionOf);
        var result = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (ConfigAlteration alteration in alterations)
        {
            switch (alteration.Operation)
            {
                case AlterConfigOperation.Set:
                    result[alteration.Name] = alteration.Value!;
                    break;
                case AlterConfigOperation.Delete:
                    result.Remove(alteration.Name);
                    break;
                case AlterConfigOperation.Append:
                {
                    List<string> items = CurrentList(result, alteration, definitionOf, "append");
                    items.AddRange(Split(alteration.Value!).Where(item => !items.Contains(item)).Distinct(StringComparer.Ordinal));
                    result[alteration.Name] = string.Join(',', items);
                    break;
                }

                case AlterConfigOperation.Subtract:
                {
                    List<string> items = CurrentList(result, alteration, definitionOf, "subtract");
                    HashSet<string> removed = [.. Split(alteration.Value!)];
                    result[alteration.Name] = string.Join(',', items.Where(item => !removed.Contains(item)));
                    break;
                }

                default:
                    throw new KafkaApiException(ErrorCode.InvalidRequest, $"Unknown config operation {(sbyte)alteration.Operation} for config key: {alteration.Name}");
            }
        }

        return result;
    }

    private static List<string> CurrentList(
        Dictionary<string, string> configs,
        ConfigAlteration alteration,
        Func<string, ConfigDefinition?> definitionOf,
        string verb)
    {
        ConfigDefinition definition = definitionOf(alteration.Name)
            ?? throw new KafkaApiException(ErrorCode.InvalidConfig, $"Unknown config name: {alteration.Name}");
        if (definition.Type != ConfigType.List)
        {
            throw new KafkaApiException(ErrorCode.InvalidConfig, $"Config value {verb} is not allowed for config key: {alteration.Name}");
        }

        string text = configs.TryGetValue(alteration.Name, out string? set) ? set : definition.DefaultText ?? string.Empty;
        return [.. Split(text)];
    }

    // Unlike Java's String.split, an empty text is no items (Kafka's own split would keep one empty item and APPEND
    // would then start the list with a comma).
    private static IEnumerable<string> Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
