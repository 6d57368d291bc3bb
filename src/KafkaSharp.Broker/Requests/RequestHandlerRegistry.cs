using System.Diagnostics.CodeAnalysis;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Requests;

/// <summary>
/// The handler for each API key. ApiVersions advertises exactly the registered keys, with the version ranges of
/// <see cref="ApiMessageTable"/> (Kafka 3.9's); a request for an unregistered key closes the connection, as Kafka
/// does for an API it has not enabled. Register everything before the broker accepts connections.
/// </summary>
public sealed class RequestHandlerRegistry
{
    private readonly IRequestHandler?[] _handlers = new IRequestHandler?[ApiMessageTable.All.Max(i => (int)i.ApiKey) + 1];
    private IReadOnlyList<ApiMessageInfo>? _supported;

    /// <summary>Adds the handler for its API key; a second handler for the same key is a programming error.</summary>
    public void Register(IRequestHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!ApiMessageTable.TryGet(handler.ApiKey, out _))
        {
            throw new ArgumentException($"API key {handler.ApiKey} is not in the message table.", nameof(handler));
        }

        int index = (int)handler.ApiKey;
        if (_handlers[index] is not null)
        {
            throw new InvalidOperationException($"A handler for {handler.ApiKey} is already registered.");
        }

        _handlers[index] = handler;
        _supported = null;
    }

    public bool TryGet(ApiKey apiKey, [NotNullWhen(true)] out IRequestHandler? handler)
    {
        int index = (int)apiKey;
        handler = index >= 0 && index < _handlers.Length ? _handlers[index] : null;
        return handler is not null;
    }

    public bool IsRegistered(ApiKey apiKey) => TryGet(apiKey, out _);

    /// <summary>The registered APIs with their version ranges, ordered by key.</summary>
    public IReadOnlyList<ApiMessageInfo> Supported =>
        _supported ??= [.. ApiMessageTable.All.Where(i => _handlers[(int)i.ApiKey] is not null)];
}
