namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// inter.broker.protocol.version, log.message.format.version and message.format.version accept a Kafka metadata
/// version ("3.9-IV0") or a release ("3.9", "3.9.1", "0.10.2"), which stands for that release's latest version.
/// Like Kafka, releases are cut to two parts (three for 0.x) before lookup.
/// </summary>
internal sealed class MetadataVersionValidator : ConfigValidator
{
    /// <summary>Every MetadataVersion Kafka 3.9 knows, oldest first.</summary>
    internal static readonly string[] Versions =
    [
        "0.8.0", "0.8.1", "0.8.2", "0.9.0", "0.10.0-IV0", "0.10.0-IV1", "0.10.1-IV0", "0.10.1-IV1", "0.10.1-IV2",
        "0.10.2-IV0", "0.11.0-IV0", "0.11.0-IV1", "0.11.0-IV2", "1.0-IV0", "1.1-IV0", "2.0-IV0", "2.0-IV1", "2.1-IV0",
        "2.1-IV1", "2.1-IV2", "2.2-IV0", "2.2-IV1", "2.3-IV0", "2.3-IV1", "2.4-IV0", "2.4-IV1", "2.5-IV0", "2.6-IV0",
        "2.7-IV0", "2.7-IV1", "2.7-IV2", "2.8-IV0", "2.8-IV1", "3.0-IV0", "3.0-IV1", "3.1-IV0", "3.2-IV0", "3.3-IV0",
        "3.3-IV1", "3.3-IV2", "3.3-IV3", "3.4-IV0", "3.5-IV0", "3.5-IV1", "3.5-IV2", "3.6-IV0", "3.6-IV1", "3.6-IV2",
        "3.7-IV0", "3.7-IV1", "3.7-IV2", "3.7-IV3", "3.7-IV4", "3.8-IV0", "3.9-IV0", "4.0-IV0", "4.0-IV1",
    ];

    private static readonly HashSet<string> _accepted = BuildAccepted();

    public override string? Check(object? value)
    {
        if (value is not string text)
        {
            return null;
        }

        var segments = text.Split('.');
        var kept = text.StartsWith("0.", StringComparison.Ordinal) ? 3 : 2;
        var key = segments.Length <= kept ? text : string.Join('.', segments.Take(kept));
        return _accepted.Contains(key) ? null : $"version {text} is not a valid version; valid values: {this}";
    }

    public override string ToString() => "[" + string.Join(", ", Versions) + "]";

    private static HashSet<string> BuildAccepted()
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var version in Versions)
        {
            accepted.Add(version);

            // "3.9-IV0" is also reachable as the release "3.9".
            var dash = version.IndexOf('-', StringComparison.Ordinal);
            accepted.Add(dash < 0 ? version : version[..dash]);
        }

        return accepted;
    }
}
