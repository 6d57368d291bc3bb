namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// One Kafka config: its name, type, default, valid values and update mode.
/// <paramref name="DefaultText"/> is the default written as a user would write it (null: no value).
/// </summary>
public sealed record ConfigDefinition(
    string Name,
    ConfigType Type,
    string? DefaultText,
    ConfigValidator? Validator,
    ConfigUpdateMode UpdateMode,
    bool IsInternal = false)
{
    /// <summary>Passwords are never shown by DescribeConfigs nor written to logs.</summary>
    public bool IsSensitive => Type == ConfigType.Password;

    /// <summary>Dynamic (per-broker or cluster-wide) configs can be changed by AlterConfigs without a restart.</summary>
    public bool IsReadOnly => UpdateMode == ConfigUpdateMode.ReadOnly;

    /// <summary>The default as a typed value (see <see cref="ConfigValues.Parse"/>).</summary>
    public object? DefaultValue { get; } = DefaultText is null ? null : ConfigValues.Parse(Name, Type, DefaultText);

    /// <summary>Parses and validates a user-supplied value; throws <see cref="ConfigException"/> naming this config.</summary>
    public object? ParseAndValidate(string? raw) => ParseAndValidate(Name, raw);

    /// <summary>As <see cref="ParseAndValidate(string?)"/>, reporting errors under <paramref name="key"/> (e.g. a listener-prefixed name).</summary>
    public object? ParseAndValidate(string key, string? raw)
    {
        var value = raw is null ? null : ConfigValues.Parse(key, Type, raw);
        var problem = Validator?.Check(value);
        if (problem is not null)
        {
            throw ConfigException.InvalidValue(key, IsSensitive ? "[hidden]" : raw, problem);
        }

        return value;
    }
}
