using System.Net;
using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Server;

/// <summary>Which listener a connection came through, by the local port it reached (Kafka requires unique ports).</summary>
internal sealed class ListenerMap(IReadOnlyList<ListenerEndpoint> listeners)
{
    public string NameFor(EndPoint? local) => Find(local)?.ListenerName ?? listeners[0].ListenerName;

    public SecurityProtocol ProtocolFor(EndPoint? local) => Find(local)?.SecurityProtocol ?? listeners[0].SecurityProtocol;

    private ListenerEndpoint? Find(EndPoint? local) =>
        local is IPEndPoint ip ? listeners.FirstOrDefault(l => l.Port == ip.Port) : null;
}
