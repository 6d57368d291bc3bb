namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// A config as DescribeConfigs reports it. <see cref="Value"/> and <see cref="DefaultValue"/> are null when unset
/// or sensitive. <see cref="Synonyms"/> lists where the value could come from, highest priority first; the first
/// one's source is <see cref="Source"/>.
/// </summary>
public sealed record ConfigEntry(
    string Name,
    string? Value,
    string? DefaultValue,
    ConfigSource Source,
    bool IsSensitive,
    bool IsReadOnly,
    ConfigType Type,
    IReadOnlyList<ConfigSynonym> Synonyms);
