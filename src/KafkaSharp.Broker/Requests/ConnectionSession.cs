using KafkaSharp.Broker.Network;

namespace KafkaSharp.Broker.Requests;

/// <summary>
/// State a connection accumulates across requests: the authenticated principal (SASL sets it) and what the client
/// said about itself in ApiVersions v3+ (KIP-511). Only the connection's own requests touch it.
/// </summary>
public sealed class ConnectionSession
{
    public ConnectionSession(ConnectionInfo connection) => Connection = connection;

    public ConnectionInfo Connection { get; }

    public KafkaPrincipal Principal { get; set; } = KafkaPrincipal.Anonymous;

    public string? ClientSoftwareName { get; set; }

    public string? ClientSoftwareVersion { get; set; }
}
