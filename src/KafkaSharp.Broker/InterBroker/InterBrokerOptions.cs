using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// How this broker talks to other brokers: which of their advertised listeners to dial, how long a request may take,
/// how fast to retry a broker that cannot be reached.
/// </summary>
public sealed record InterBrokerOptions
{
    /// <summary>The listener (upper case) whose endpoint is dialled on the peer: inter.broker.listener.name.</summary>
    public required string ListenerName { get; init; }

    /// <summary>The listener's protocol. Only PLAINTEXT is spoken; anything else fails each request clearly.</summary>
    public SecurityProtocol SecurityProtocol { get; init; } = SecurityProtocol.Plaintext;

    /// <summary>client.id in request headers, which the peer logs (Kafka's controller uses "broker-&lt;id&gt;").</summary>
    public string ClientId { get; init; } = "kafkasharp-broker";

    /// <summary>Time from sending a request to its response before the request fails and the connection is dropped.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to open the TCP connection and finish the ApiVersions handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after the first failed connect; doubles on each further failure up to <see cref="ReconnectBackoffMax"/>.</summary>
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A response frame larger than this is a protocol error (the connection closes).</summary>
    public int MaxResponseSize { get; init; } = 100 * 1024 * 1024;

    /// <summary>
    /// The controller's settings: the inter-broker listener, controller.socket.timeout.ms for requests and
    /// socket.connection.setup.timeout.ms for connecting.
    /// </summary>
    public static InterBrokerOptions ForController(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FromConfig(config, "controller.socket.timeout.ms") with { ClientId = $"broker-{config.BrokerId}" };
    }

    /// <summary>The replica fetcher's settings: replica.socket.timeout.ms for requests.</summary>
    public static InterBrokerOptions ForReplicaFetcher(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FromConfig(config, "replica.socket.timeout.ms") with { ClientId = $"broker-{config.BrokerId}-fetcher" };
    }

    private static InterBrokerOptions FromConfig(BrokerConfig config, string timeoutKey)
    {
        string listener = config.InterBrokerListenerName;
        return new InterBrokerOptions
        {
            ListenerName = listener,
            SecurityProtocol = config.ListenerSecurityProtocolMap.TryGetValue(listener, out SecurityProtocol protocol) ? protocol : SecurityProtocol.Plaintext,
            RequestTimeout = TimeSpan.FromMilliseconds(config.GetInt(timeoutKey)),
            ConnectTimeout = TimeSpan.FromMilliseconds(config.GetLong("socket.connection.setup.timeout.ms")),
        };
    }
}
