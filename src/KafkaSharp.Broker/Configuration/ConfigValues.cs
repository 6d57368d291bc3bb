using System.Globalization;
using System.Text.RegularExpressions;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Converts config text to typed values and back, following Kafka's ConfigDef rules: values are trimmed,
/// booleans are case-insensitive, lists split on commas with surrounding whitespace.
/// Typed values: bool, int, short, long, double, <see cref="IReadOnlyList{T}"/> of string, and string for
/// STRING, CLASS and PASSWORD.
/// </summary>
public static partial class ConfigValues
{
    public static object Parse(string key, ConfigType type, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.Trim();
        return type switch
        {
            ConfigType.Boolean => ParseBoolean(key, trimmed, raw),
            ConfigType.Int => ParseInteger(key, trimmed, raw, int.MinValue, int.MaxValue, "INT", v => (int)v),
            ConfigType.Short => ParseInteger(key, trimmed, raw, short.MinValue, short.MaxValue, "SHORT", v => (short)v),
            ConfigType.Long => ParseInteger(key, trimmed, raw, long.MinValue, long.MaxValue, "LONG", v => v),
            ConfigType.Double => ParseDouble(key, trimmed, raw),
            ConfigType.List => ParseList(trimmed),
            ConfigType.Class => ParseClassName(key, trimmed, raw),
            _ => trimmed,
        };
    }

    /// <summary>Writes a typed value as Kafka's DescribeConfigs shows it (Java's toString; lists joined by commas).</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => JavaDouble.ToString(d),
        IEnumerable<string> list => string.Join(',', list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool ParseBoolean(string key, string trimmed, string raw)
    {
        if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw ConfigException.InvalidValue(key, raw, "expected true or false");
    }

    private static object ParseInteger(string key, string trimmed, string raw, long min, long max, string typeName, Func<long, object> box)
    {
        // Java's parseInt/parseLong: optional sign and ASCII digits only.
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw ConfigException.InvalidValue(key, raw, $"not a number of type {typeName} (from {min} to {max})");
        }

        return box(value);
    }

    private static double ParseDouble(string key, string trimmed, string raw)
    {
        // Java accepts a trailing type suffix such as "0.5d".
        var text = trimmed.Length > 1 && trimmed[^1] is 'd' or 'D' or 'f' or 'F' ? trimmed[..^1] : trimmed;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw ConfigException.InvalidValue(key, raw, "not a number of type DOUBLE");
        }

        return value;
    }

    private static List<string> ParseList(string trimmed) =>
        trimmed.Length == 0 ? [] : [.. ListSeparator().Split(trimmed)];

    private static string ParseClassName(string key, string trimmed, string raw)
    {
        // We cannot load Java classes; a well-formed binary class name is the most we can check.
        if (!JavaClassName().IsMatch(trimmed))
        {
            throw ConfigException.InvalidValue(key, raw, "not a Java class name");
        }

        return trimmed;
    }

    [GeneratedRegex(@"\s*,\s*")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$")]
    private static partial Regex JavaClassName();
}
