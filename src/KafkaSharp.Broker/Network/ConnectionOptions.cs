namespace KafkaSharp.Broker.Network;

/// <summary>The per-connection limits, taken from the broker config once.</summary>
public sealed record ConnectionOptions
{
    /// <summary>socket.request.max.bytes: a larger size prefix closes the connection before anything is buffered.</summary>
    public int MaxRequestSize { get; init; } = 100 * 1024 * 1024;

    /// <summary>connections.max.idle.ms: a connection with no traffic and nothing in flight this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Requests a connection may have waiting for their responses before the reader stops reading more
    /// (back-pressure on one client, never on others).
    /// </summary>
    public int MaxInFlightRequests { get; init; } = 100;
}
