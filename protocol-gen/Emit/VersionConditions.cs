using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>
/// Decides at generation time whether code for a version range needs a runtime check: inside a context (the
/// versions the surrounding code can run with) a range that covers the context needs none, one that misses it
/// needs no code at all, and otherwise only the bounds that cut the context are tested.
/// </summary>
internal static class VersionConditions
{
    /// <summary>
    /// Emits <paramref name="inside"/> under the check "version in <paramref name="range"/>" and
    /// <paramref name="outside"/> under its else, each given the narrowed context.
    /// </summary>
    public static void If(CodeWriter code, VersionRange range, VersionRange context, Action<VersionRange> inside, Action<VersionRange>? outside = null)
    {
        VersionRange overlap = range.Intersect(context);
        if (overlap.IsEmpty)
        {
            outside?.Invoke(context);
            return;
        }

        if (range.Covers(context))
        {
            inside(context);
            return;
        }

        bool checkLow = overlap.Lowest > context.Lowest;
        bool checkHigh = overlap.Highest < context.Highest;
        using (code.Block($"if ({Condition(overlap, checkLow, checkHigh)})"))
        {
            inside(overlap);
        }

        if (outside is null)
        {
            return;
        }

        // The else side: what is left of the context, widened to one range when the overlap sits in the middle.
        VersionRange rest = checkLow && !checkHigh ? new VersionRange(context.Lowest, (short)(overlap.Lowest - 1))
            : checkHigh && !checkLow ? new VersionRange((short)(overlap.Highest + 1), context.Highest)
            : context;
        CodeWriter.BlockScope scope = code.Block("else");
        outside(rest);
        scope.Dispose();
    }

    /// <summary>The condition text for a range within a context, or null when the range covers the context.</summary>
    public static string? ConditionText(VersionRange range, VersionRange context)
    {
        VersionRange overlap = range.Intersect(context);
        if (overlap.IsEmpty)
        {
            return "false";
        }

        if (range.Covers(context))
        {
            return null;
        }

        return Condition(overlap, overlap.Lowest > context.Lowest, overlap.Highest < context.Highest);
    }

    private static string Condition(VersionRange overlap, bool checkLow, bool checkHigh)
    {
        if (checkLow && checkHigh)
        {
            return overlap.Lowest == overlap.Highest
                ? $"version == {overlap.Lowest}"
                : $"version >= {overlap.Lowest} && version <= {overlap.Highest}";
        }

        return checkLow ? $"version >= {overlap.Lowest}" : $"version <= {overlap.Highest}";
    }
}
