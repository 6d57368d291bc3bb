using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Cluster;

/// <summary>An address a broker advertises on one listener.</summary>
public sealed record BrokerEndpoint(string ListenerName, string Host, int Port, SecurityProtocol SecurityProtocol);

/// <summary>A live broker: id, rack (broker.rack) and one advertised endpoint per listener.</summary>
public sealed record BrokerNode(int Id, string? Rack, IReadOnlyList<BrokerEndpoint> Endpoints)
{
    /// <summary>
    /// The endpoint on the listener a client came in through; clients only ever see the addresses of their own
    /// listener (Kafka omits brokers that lack it).
    /// </summary>
    public BrokerEndpoint? EndpointFor(string listenerName)
    {
        foreach (BrokerEndpoint endpoint in Endpoints)
        {
            if (string.Equals(endpoint.ListenerName, listenerName, StringComparison.Ordinal))
            {
                return endpoint;
            }
        }

        return null;
    }
}
