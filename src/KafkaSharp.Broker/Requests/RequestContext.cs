using KafkaSharp.Broker.Network;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Requests;

/// <summary>What a handler knows about a request besides its body: the header fields and the connection.</summary>
public sealed class RequestContext
{
    public RequestContext(RequestHeader header, ConnectionSession session)
    {
        ApiKey = (ApiKey)header.RequestApiKey;
        ApiVersion = header.RequestApiVersion;
        CorrelationId = header.CorrelationId;
        ClientId = header.ClientId;
        Session = session;
    }

    public ApiKey ApiKey { get; }

    /// <summary>The request's version; the response is written in the same version.</summary>
    public short ApiVersion { get; }

    public int CorrelationId { get; }

    public string? ClientId { get; }

    public ConnectionSession Session { get; }

    public ConnectionInfo Connection => Session.Connection;

    public KafkaPrincipal Principal => Session.Principal;
}
