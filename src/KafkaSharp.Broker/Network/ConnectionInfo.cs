using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Network;

/// <summary>Where a connection came from and which listener accepted it. Fixed for the connection's life.</summary>
/// <param name="ConnectionId">A short id for logs (the transport's, e.g. Kestrel's connection id).</param>
/// <param name="ListenerName">The listener's name as in <c>listeners</c> (upper case), e.g. PLAINTEXT.</param>
/// <param name="SecurityProtocol">The listener's security protocol.</param>
/// <param name="Peer">The client's address, host:port, for logs and quotas.</param>
public sealed record ConnectionInfo(string ConnectionId, string ListenerName, SecurityProtocol SecurityProtocol, string Peer);
