namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// What AlterConfigs / IncrementalAlterConfigs may change on a broker resource, following Kafka's
/// DynamicBrokerConfig rules: read-only configs need a restart, per-broker configs (and listener-prefixed ones,
/// except the connection limits) cannot be set as the cluster-wide default, and keystores/truststores can only be
/// changed per listener.
/// </summary>
public static class DynamicBrokerConfigRules
{
    /// <summary>Kafka's SslConfigs.RECONFIGURABLE_CONFIGS.</summary>
    private static readonly HashSet<string> _listenerOnlySecurityConfigs = new(StringComparer.Ordinal)
    {
        "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
        "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
        "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
    };

    /// <summary>Listener-prefixed configs that may still be set cluster-wide.</summary>
    private static readonly HashSet<string> _clusterLevelListenerConfigs = new(StringComparer.Ordinal)
    {
        "max.connections", "max.connection.creation.rate", "num.network.threads",
    };

    /// <summary>
    /// Throws <see cref="ConfigException"/> naming the first key that cannot be set dynamically, or whose value is
    /// invalid.
    /// </summary>
    public static void Validate(IReadOnlyDictionary<string, string> configs, bool isClusterDefault)
    {
        ArgumentNullException.ThrowIfNull(configs);
        foreach (var (key, value) in configs.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            CheckKey(key, isClusterDefault).ParseAndValidate(key, value);
        }
    }

    /// <summary>For deletions: throws <see cref="ConfigException"/> if a key is not a dynamically changeable config.</summary>
    public static void ValidateKeys(IEnumerable<string> keys, bool isClusterDefault)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            CheckKey(key, isClusterDefault);
        }
    }

    private static ConfigDefinition CheckKey(string key, bool isClusterDefault)
    {
        if (BrokerConfigCatalog.TryGetDynamicOnly(key, out var dynamicOnly))
        {
            return dynamicOnly;
        }

        if (BrokerConfigCatalog.TryGet(key, out var definition))
        {
            if (definition.IsReadOnly)
            {
                throw new ConfigException(key, $"Cannot update these configs dynamically: {key}");
            }

            if (_listenerOnlySecurityConfigs.Contains(key))
            {
                throw new ConfigException(key, $"These security configs can be dynamically updated only per-listener using the listener prefix: {key}");
            }

            if (isClusterDefault && definition.UpdateMode == ConfigUpdateMode.PerBroker)
            {
                throw new ConfigException(key, $"Cannot update these configs at default cluster level, broker id must be specified: {key}");
            }

            return definition;
        }

        var baseName = BrokerConfigCatalog.ListenerBaseName(key);
        if (baseName is null || !BrokerConfigCatalog.TryGet(baseName, out var baseDefinition))
        {
            throw ConfigException.Unknown(key);
        }

        if (baseDefinition.IsReadOnly)
        {
            throw new ConfigException(key, $"Cannot update these configs dynamically: {key}");
        }

        if (isClusterDefault && !_clusterLevelListenerConfigs.Contains(baseName))
        {
            throw new ConfigException(key, $"Cannot update these configs at default cluster level, broker id must be specified: {key}");
        }

        return baseDefinition;
    }
}
