using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Requests;

/// <summary>
/// Answers one API. The connection calls <see cref="HandleAsync"/> on its reader, in request order, so everything
/// before the first real await runs inline and in order: keep that part short and never block, and do there whatever
/// must follow the connection's request order (a Produce's append: Kafka serves one request per connection at a
/// time, and idempotent producers rely on it). Later requests of the connection may start while this one awaits. The response is written in the request's version;
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
