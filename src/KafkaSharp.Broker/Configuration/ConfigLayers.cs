namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// The raw settings a broker's configuration is made of, highest priority first: dynamic per-broker, dynamic
/// cluster-wide default, static (server.properties plus <c>--override</c>), then the defaults.
/// <see cref="ServerDefaults"/> replaces Kafka's default for a few keys when the broker runs without a file.
/// </summary>
internal sealed record ConfigLayers(
    IReadOnlyDictionary<string, string> DynamicBroker,
    IReadOnlyDictionary<string, string> DynamicDefault,
    IReadOnlyDictionary<string, string> Static,
    IReadOnlyDictionary<string, string> ServerDefaults)
{
    private static readonly IReadOnlyDictionary<string, string> _empty = new Dictionary<string, string>();

    /// <summary>
    /// The id ZooKeeper handed out when broker.id was not set (above reserved.broker.max.id, so never a valid
    /// setting); it is not a layer of settings, Kafka too assigns it after validation.
    /// </summary>
    public int? GeneratedBrokerId { get; init; }

    public static ConfigLayers StaticOnly(IReadOnlyDictionary<string, string> staticConfigs, IReadOnlyDictionary<string, string>? serverDefaults) =>
        new(_empty, _empty, staticConfigs, serverDefaults ?? _empty);

    /// <summary>The layers that hold values someone set, with the source DescribeConfigs reports for each.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Values, ConfigSource Source)> SetLayers()
    {
        yield return (DynamicBroker, ConfigSource.DynamicBrokerConfig);
        yield return (DynamicDefault, ConfigSource.DynamicDefaultBrokerConfig);
        yield return (Static, ConfigSource.StaticBrokerConfig);
    }

    /// <summary>The highest-priority raw value set for <paramref name="key"/>, if any (defaults excluded).</summary>
    public bool TryGetSet(string key, out string value, out ConfigSource source)
    {
        foreach (var (values, layerSource) in SetLayers())
        {
            if (values.TryGetValue(key, out value!))
            {
                source = layerSource;
                return true;
            }
        }

        value = string.Empty;
        source = ConfigSource.DefaultConfig;
        return false;
    }

    /// <summary>Every key set in any layer, defaults excluded.</summary>
    public IEnumerable<string> SetKeys() =>
        DynamicBroker.Keys.Concat(DynamicDefault.Keys).Concat(Static.Keys).Distinct(StringComparer.Ordinal);
}
