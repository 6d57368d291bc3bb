namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// A setting is unknown or its value is invalid. <see cref="Key"/> names the offending setting so the start-up
/// error (or the INVALID_CONFIG error of CreateTopics/AlterConfigs) can say which one.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    public ConfigException()
        : this(string.Empty, "Invalid configuration.")
    {
    }

    public ConfigException(string message)
        : this(string.Empty, message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    /// <summary>The setting at fault; empty when the problem is not about one setting.</summary>
    public string Key { get; }

    internal static ConfigException InvalidValue(string key, string? value, string rule) =>
        new(key, $"Invalid value {Display(value)} for configuration {key}: {rule}");

    internal static ConfigException Unknown(string key) =>
        new(key, $"Unknown configuration '{key}'.");

    private static string Display(string? value) => value is null ? "null" : $"'{value}'";
}
