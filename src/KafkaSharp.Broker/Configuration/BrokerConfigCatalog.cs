using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Looks up broker config definitions, including the prefixed names Kafka accepts:
/// <c>listener.name.&lt;listener&gt;.&lt;config&gt;</c> and <c>listener.name.&lt;listener&gt;.&lt;mechanism&gt;.sasl.jaas.config</c>-style
/// per-listener security settings, plugin pass-through settings of the remote storage managers and the built-in
/// authorizers.
/// </summary>
internal static partial class BrokerConfigCatalog
{
    private const string ListenerPrefix = "listener.name.";

    /// <summary>Settings Kafka allows per SASL mechanism inside a listener prefix.</summary>
    private static readonly HashSet<string> _listenerMechanismConfigs = new(StringComparer.Ordinal)
    {
        "sasl.jaas.config",
        "sasl.login.callback.handler.class",
        "sasl.login.class",
        "sasl.server.callback.handler.class",
        "connections.max.reauth.ms",
    };

    /// <summary>
    /// Settings read by plugins that ship with Kafka (AclAuthorizer, StandardAuthorizer) rather than by KafkaConfig.
    /// Kafka does not know their types, so DescribeConfigs treats them as sensitive.
    /// </summary>
    private static readonly HashSet<string> _pluginConfigs = new(StringComparer.Ordinal)
    {
        "super.users",
        "allow.everyone.if.no.acl.found",
        "authorizer.zookeeper.url",
        "authorizer.zookeeper.connection.timeout.ms",
        "authorizer.zookeeper.session.timeout.ms",
        "authorizer.zookeeper.max.in.flight.requests",
        "authorizer.zookeeper.set.acl",
    };

    private static readonly Dictionary<string, ConfigDefinition> _definitions =
        DefinedConfigs().ToDictionary(definition => definition.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, ConfigDefinition> _dynamicOnly =
        DynamicOnlyConfigs().ToDictionary(definition => definition.Name, StringComparer.Ordinal);

    /// <summary>Every config KafkaConfig defines, internal ones included.</summary>
    public static IReadOnlyCollection<ConfigDefinition> Definitions => _definitions.Values;

    public static bool TryGet(string name, [NotNullWhen(true)] out ConfigDefinition? definition) =>
        _definitions.TryGetValue(name, out definition);

    public static ConfigDefinition Get(string name) =>
        _definitions.TryGetValue(name, out var definition) ? definition : throw new KeyNotFoundException(name);

    /// <summary>Configs that exist only as dynamic broker configs (replication throttles).</summary>
    public static bool TryGetDynamicOnly(string name, [NotNullWhen(true)] out ConfigDefinition? definition) =>
        _dynamicOnly.TryGetValue(name, out definition);

    /// <summary>
    /// Finds the definition that governs <paramref name="key"/>: itself, or the base config of a listener-prefixed key.
    /// </summary>
    public static bool TryResolve(string key, [NotNullWhen(true)] out ConfigDefinition? definition)
    {
        if (_definitions.TryGetValue(key, out definition))
        {
            return true;
        }

        var baseName = ListenerBaseName(key);
        if (baseName is not null && _definitions.TryGetValue(baseName, out definition))
        {
            return true;
        }

        definition = null;
        return false;
    }

    /// <summary>
    /// For <c>listener.name.internal.ssl.keystore.location</c> gives <c>ssl.keystore.location</c>; for
    /// <c>listener.name.sasl_ssl.plain.sasl.jaas.config</c> gives <c>sasl.jaas.config</c>; otherwise null.
    /// </summary>
    public static string? ListenerBaseName(string key)
    {
        if (!key.StartsWith(ListenerPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var afterPrefix = key.AsSpan(ListenerPrefix.Length);
        var dot = afterPrefix.IndexOf('.');
        if (dot <= 0 || dot == afterPrefix.Length - 1)
        {
            return null;
        }

        var rest = afterPrefix[(dot + 1)..].ToString();
        var mechanismConfig = _listenerMechanismConfigs.FirstOrDefault(rest.EndsWith);
        if (mechanismConfig is not null)
        {
            // Either listener.name.l.sasl.jaas.config or listener.name.l.<mechanism>.sasl.jaas.config.
            var mechanism = rest[..^mechanismConfig.Length];
            return mechanism.Length == 0 || (mechanism.EndsWith('.') && !mechanism[..^1].Contains('.', StringComparison.Ordinal))
                ? mechanismConfig
                : null;
        }

        return rest;
    }

    /// <summary>
    /// True for keys accepted without a definition: plugin settings and the pass-through prefixes of the remote
    /// storage plugins (whose prefixes are themselves configs, hence the parameters).
    /// </summary>
    public static bool IsPassThrough(string key, string remoteStorageManagerPrefix, string remoteMetadataManagerPrefix) =>
        _pluginConfigs.Contains(key)
        || key.StartsWith("authorizer.zookeeper.ssl.", StringComparison.Ordinal)
        || (remoteStorageManagerPrefix.Length > 0 && key.StartsWith(remoteStorageManagerPrefix, StringComparison.Ordinal))
        || (remoteMetadataManagerPrefix.Length > 0 && key.StartsWith(remoteMetadataManagerPrefix, StringComparison.Ordinal));

    /// <summary>
    /// The names whose values stand in for <paramref name="name"/>, highest priority first (Kafka's
    /// DynamicBrokerConfig.brokerConfigSynonyms): the retention, roll and flush families, and a listener-prefixed key
    /// followed by its base config.
    /// </summary>
    public static IReadOnlyList<string> Synonyms(string name) => name switch
    {
        "log.roll.ms" or "log.roll.hours" => ["log.roll.ms", "log.roll.hours"],
        "log.roll.jitter.ms" or "log.roll.jitter.hours" => ["log.roll.jitter.ms", "log.roll.jitter.hours"],
        "log.flush.interval.ms" => ["log.flush.interval.ms", "log.flush.scheduler.interval.ms"],
        "log.retention.ms" or "log.retention.minutes" or "log.retention.hours" =>
            ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
        _ when ListenerBaseName(name) is { } baseName => [name, baseName],
        _ => [name],
    };
}
