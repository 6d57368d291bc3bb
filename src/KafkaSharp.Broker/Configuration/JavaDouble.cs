using System.Globalization;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Formats a double as Java's Double.toString does ("0.5", "1.0", "1.0E-4", "1.7976931348623157E308"), so
/// DescribeConfigs shows the same text as Kafka.
/// </summary>
internal static class JavaDouble
{
    public static string ToString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var sign = value < 0 ? "-" : string.Empty;
        var magnitude = Math.Abs(value);
        var (digits, exponent) = ShortestDigits(magnitude);
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            return sign + Plain(digits, exponent);
        }

        var fraction = digits.Length > 1 ? digits[1..] : "0";
        return $"{sign}{digits[0]}.{fraction}E{exponent.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Shortest round-trip significant digits d1d2d3... and the power of ten of d1.</summary>
    private static (string Digits, int Exponent) ShortestDigits(double magnitude)
    {
        var text = magnitude.ToString("E16", CultureInfo.InvariantCulture);
        var roundTrip = magnitude.ToString("R", CultureInfo.InvariantCulture);

        // "R" gives the shortest digits; "E16" gives a reliable exponent.
        var exponent = int.Parse(text[(text.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        var mantissa = roundTrip.Contains('E') ? roundTrip[..roundTrip.IndexOf('E')] : roundTrip;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    private static string Plain(string digits, int exponent)
    {
        if (exponent < 0)
        {
            return "0." + new string('0', -exponent - 1) + digits;
        }

        var integerDigits = exponent + 1;
        if (digits.Length <= integerDigits)
        {
            return digits + new string('0', integerDigits - digits.Length) + ".0";
        }

        return digits[..integerDigits] + "." + digits[integerDigits..];
    }
}
