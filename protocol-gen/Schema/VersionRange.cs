using System.Globalization;

namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>
/// An inclusive range of versions as Kafka's schemas write it: "0+", "3-7", "5" or "none".
/// An open-ended range ends at <see cref="short.MaxValue"/>.
/// </summary>
public readonly record struct VersionRange(short Lowest, short Highest)
{
    public static readonly VersionRange None = new(1, 0);

    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Lowest > Highest;

    public bool IsOpenEnded => !IsEmpty && Highest == short.MaxValue;

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    /// <summary>True when every version of <paramref name="other"/> is also in this range.</summary>
    public bool Covers(VersionRange other) => other.IsEmpty || (!IsEmpty && Lowest <= other.Lowest && Highest >= other.Highest);

    public VersionRange Intersect(VersionRange other)
    {
        VersionRange result = new(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest));
        return result.IsEmpty ? None : result;
    }

    /// <summary>The smallest range holding both (they may leave a gap between them).</summary>
    public VersionRange Hull(VersionRange other)
    {
        if (IsEmpty)
        {
            return other;
        }

        return other.IsEmpty ? this : new(Math.Min(Lowest, other.Lowest), Math.Max(Highest, other.Highest));
    }

    /// <summary>Parses Kafka's version syntax; returns false for anything else.</summary>
    public static bool TryParse(string? text, out VersionRange range)
    {
        range = None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text == "none")
        {
            return true;
        }

        if (text.EndsWith('+'))
        {
            if (!TryParseVersion(text[..^1], out short low))
            {
                return false;
            }

            range = new VersionRange(low, short.MaxValue);
            return true;
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!TryParseVersion(text[..dash], out short low) || !TryParseVersion(text[(dash + 1)..], out short high) || high < low)
            {
                return false;
            }

            range = new VersionRange(low, high);
            return true;
        }

        if (!TryParseVersion(text, out short single))
        {
            return false;
        }

        range = new VersionRange(single, single);
        return true;
    }

    public override string ToString() =>
        IsEmpty ? "none"
        : IsOpenEnded ? $"{Lowest}+"
        : Lowest == Highest ? Lowest.ToString(CultureInfo.InvariantCulture)
        : $"{Lowest}-{Highest}";

    private static bool TryParseVersion(string text, out short version) =>
        short.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version < short.MaxValue;
}
