namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// controller.quorum.voters (<c>id@host:port</c> entries) and controller.quorum.bootstrap.servers (<c>host:port</c>).
/// Kafka documents both as "non-empty list" yet defaults them to an empty list, which a ZooKeeper-mode broker
/// leaves alone; so the rule is on the entries, not the count.
/// </summary>
internal sealed class QuorumListValidator(bool entriesHaveNodeId) : ConfigValidator
{
    public override string? Check(object? value)
    {
        if (value is not IEnumerable<string> entries)
        {
            return value is null ? "must not be null" : null;
        }

        var bad = entries.FirstOrDefault(entry => !IsValid(entry));
        return bad is null ? null : $"'{bad}' is not of the form {(entriesHaveNodeId ? "id@host:port" : "host:port")}";
    }

    public override string ToString() => "non-empty list";

    private bool IsValid(string entry)
    {
        var address = entry;
        if (entriesHaveNodeId)
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || !int.TryParse(entry.AsSpan(0, at), out _))
            {
                return false;
            }

            address = entry[(at + 1)..];
        }

        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), out var port) && port is >= 0 and <= 65535;
    }
}
