using System.Globalization;

namespace KafkaSharp.Broker.Configuration;

/// <summary>A numeric value within [min, max] (either end may be open), or one extra allowed value.</summary>
internal sealed class RangeValidator(double min, double? max, double? alsoAllowed) : ConfigValidator
{
    public override string? Check(object? value)
    {
        if (value is null)
        {
            return null;
        }

        // Compare longs as longs: Long.MAX_VALUE does not survive a trip through double.
        var ok = value switch
        {
            double d => (alsoAllowed == d) || (d >= min && (max is null || d <= max)),
            _ => IsInRange(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        };
        return ok ? null : $"value must be {this}";
    }

    public override string ToString()
    {
        var range = max is null ? $"[{Text(min)},...]" : $"[{Text(min)},...,{Text(max.Value)}]";
        return alsoAllowed is null ? range : $"{range} or {Text(alsoAllowed.Value)}";
    }

    private bool IsInRange(long value)
    {
        if (alsoAllowed is { } extra && value == (long)extra)
        {
            return true;
        }

        return value >= min && (max is null || value <= max);
    }

    private static string Text(double bound) =>
        bound == Math.Floor(bound) ? ((long)bound).ToString(CultureInfo.InvariantCulture) : bound.ToString(CultureInfo.InvariantCulture);
}
