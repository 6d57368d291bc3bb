namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// One entry of <c>listeners</c> or <c>advertised.listeners</c>. <see cref="Host"/> is null for an empty host
/// (<c>PLAINTEXT://:9092</c>), which Kafka reads as "bind to all interfaces" (and, when advertised, "this machine's
/// host name"). Listener names are upper-cased as Kafka normalises them.
/// </summary>
public sealed record ListenerEndpoint(string ListenerName, string? Host, int Port, SecurityProtocol SecurityProtocol)
{
    public bool IsAllInterfaces => Host is null;

    /// <summary>The endpoint written back as Kafka would: NAME://host:port, IPv6 hosts in brackets.</summary>
    public override string ToString()
    {
        var host = Host is null ? string.Empty : Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return $"{ListenerName}://{host}:{Port}";
    }
}
