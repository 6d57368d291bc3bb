using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Requests;

/// <summary>Base for a handler of one request type: casts the body once so handlers work with the generated class.</summary>
public abstract class RequestHandler<TRequest> : IRequestHandler
    where TRequest : class, IApiMessage, new()
{
    private static readonly ApiKey s_apiKey = new TRequest().ApiKey;

    public ApiKey ApiKey => s_apiKey;

    ValueTask<IApiMessage?> IRequestHandler.HandleAsync(RequestContext context, IApiMessage request, CancellationToken cancellationToken) =>
        HandleAsync(context, (TRequest)request, cancellationToken);

    protected abstract ValueTask<IApiMessage?> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellationToken);
}
