using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Requests;

/// <summary>
/// Answers one API. The connection calls <see cref="HandleAsync"/> on its reader, so everything before the first
/// real await runs inline: keep that part short and never block. The response is written in the request's version;
/// return null when the request gets no response at all (Produce with acks=0). A thrown exception closes the
/// connection (logged once): answer with an error code instead wherever Kafka does.
/// </summary>
/// <remarks>
/// The request object is the handler's until the returned task completes. Its <c>records</c> fields point into a
/// buffer the connection frees when the task completes: copy whatever must outlive the request.
/// </remarks>
public interface IRequestHandler
{
    ApiKey ApiKey { get; }

    ValueTask<IApiMessage?> HandleAsync(RequestContext context, IApiMessage request, CancellationToken cancellationToken);
}
