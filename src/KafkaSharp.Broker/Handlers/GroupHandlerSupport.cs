using KafkaSharp.Broker.Requests;

namespace KafkaSharp.Broker.Handlers;

/// <summary>What the group handlers share.</summary>
internal static class GroupHandlerSupport
{
    /// <summary>The client's host as Kafka shows it in DescribeGroups (InetAddress.toString: "/127.0.0.1").</summary>
    public static string ClientHost(RequestContext context)
    {
        string peer = context.Connection.Peer;
        int colon = peer.LastIndexOf(':');
        string host = colon > 0 ? peer[..colon] : peer;
        return "/" + host.Trim('[', ']');
    }
}
