namespace KafkaSharp.Broker.Configuration;

public sealed partial class BrokerConfig
{
    private readonly IReadOnlyDictionary<string, SecurityProtocol> _securityProtocolMap;
    private readonly IReadOnlyList<ListenerEndpoint> _listeners;
    private readonly IReadOnlyList<ListenerEndpoint> _advertisedListeners;
    private readonly string _interBrokerListenerName;

    /// <summary>listener.security.protocol.map: listener name (upper case) to security protocol.</summary>
    public IReadOnlyDictionary<string, SecurityProtocol> ListenerSecurityProtocolMap => _securityProtocolMap;

    /// <summary>The endpoints to bind (<c>listeners</c>). A null host means all interfaces.</summary>
    public IReadOnlyList<ListenerEndpoint> Listeners => _listeners;

    /// <summary>
    /// The endpoints to publish to clients: <c>advertised.listeners</c>, else <c>listeners</c>. A null host means the
    /// broker's own host name, which the server fills in (Kafka uses the canonical host name).
    /// </summary>
    public IReadOnlyList<ListenerEndpoint> AdvertisedListeners => _advertisedListeners;

    /// <summary>The listener other brokers use: inter.broker.listener.name, else the name of security.inter.broker.protocol.</summary>
    public string InterBrokerListenerName => _interBrokerListenerName;

    private (IReadOnlyDictionary<string, SecurityProtocol>, IReadOnlyList<ListenerEndpoint>, IReadOnlyList<ListenerEndpoint>, string) ResolveListeners()
    {
        const string MapKey = "listener.security.protocol.map";
        var map = ListenerParser.ParseSecurityProtocolMap(MapKey, GetString(MapKey) ?? string.Empty);

        var listeners = ListenerParser.Parse("listeners", GetString("listeners") ?? string.Empty, map, requireDistinctPorts: true);
        var advertisedText = GetString("advertised.listeners");
        var advertised = advertisedText is null
            ? listeners
            : ListenerParser.Parse("advertised.listeners", advertisedText, map, requireDistinctPorts: false);

        var unroutable = advertised.FirstOrDefault(endpoint => endpoint.Host == "0.0.0.0");
        if (unroutable is not null)
        {
            throw ConfigException.InvalidValue(advertisedText is null ? "listeners" : "advertised.listeners", advertisedText ?? GetString("listeners"),
                "cannot advertise the non-routable meta-address 0.0.0.0; use a routable address or set advertised.listeners");
        }

        var interBrokerName = ResolveInterBrokerListenerName(map);
        if (!advertised.Any(endpoint => endpoint.ListenerName == interBrokerName))
        {
            throw new ConfigException("inter.broker.listener.name",
                $"The inter-broker listener '{interBrokerName}' must be one of the advertised listeners " +
                $"({string.Join(", ", advertised.Select(e => e.ListenerName))}); set inter.broker.listener.name or security.inter.broker.protocol.");
        }

        return (map, listeners, advertised, interBrokerName);
    }

    private string ResolveInterBrokerListenerName(IReadOnlyDictionary<string, SecurityProtocol> map)
    {
        var explicitName = GetString("inter.broker.listener.name");
        if (explicitName is null)
        {
            return GetString("security.inter.broker.protocol")!;
        }

        if (_layers.TryGetSet("security.inter.broker.protocol", out _, out _))
        {
            throw new ConfigException("inter.broker.listener.name",
                "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.");
        }

        var name = explicitName.ToUpperInvariant();
        if (!map.ContainsKey(name))
        {
            throw ConfigException.InvalidValue("inter.broker.listener.name", explicitName,
                "the listener must be defined in listener.security.protocol.map");
        }

        return name;
    }
}
