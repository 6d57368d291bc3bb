using System.Globalization;

namespace KafkaSharp.Storage.Segments;

/// <summary>
/// Kafka's file names inside a partition directory: a segment's files share its base offset as 20 zero-padded
/// digits; suffixes mark files that are being cleaned (<c>.cleaned</c>), swapped in (<c>.swap</c>) or deleted
/// (<c>.deleted</c>), so recovery can tell how far an interrupted operation got.
/// </summary>
public static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string TxnIndexSuffix = ".txnindex";
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";
    public const string DeletedSuffix = ".deleted";

    public static string BaseName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogFile(string dir, long baseOffset, string extraSuffix = "") => Path.Combine(dir, BaseName(baseOffset) + LogSuffix + extraSuffix);

    public static string IndexFile(string dir, long baseOffset, string extraSuffix = "") => Path.Combine(dir, BaseName(baseOffset) + IndexSuffix + extraSuffix);

    public static string TimeIndexFile(string dir, long baseOffset, string extraSuffix = "") => Path.Combine(dir, BaseName(baseOffset) + TimeIndexSuffix + extraSuffix);

    /// <summary>Parses the base offset from a file name such as <c>00000000000000000042.log.swap</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        baseOffset = 0;
        int dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot == 20 && long.TryParse(fileName.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
