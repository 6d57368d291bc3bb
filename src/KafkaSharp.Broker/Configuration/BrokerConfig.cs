namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// The broker's configuration: Kafka's server.properties keys with Kafka's types, defaults and meanings.
/// Every key is checked when the config is built; an unknown key or invalid value throws
/// <see cref="ConfigException"/> naming the key, so the server fails at start rather than running misconfigured.
/// </summary>
/// <remarks>
/// Without a properties file the broker runs as an embedded single broker, so a few Kafka defaults are replaced
/// (see <see cref="EmbeddedDefaults"/>): Kafka's broker.id default is -1 ("generate one in ZooKeeper"), but a broker
/// with no ZooKeeper needs a fixed id, so it is 0; it listens on loopback only and keeps data in ./kafkasharp-data.
/// With a file, every default is Kafka's. Unlike Kafka in ZooKeeper mode, zookeeper.connect may stay unset: the
/// broker then keeps its metadata itself.
/// </remarks>
public sealed partial class BrokerConfig
{
    /// <summary>The data folder used when no properties file is given.</summary>
    public const string EmbeddedDataDirectory = "./kafkasharp-data";

    /// <summary>
    /// Defaults that replace Kafka's when running without a properties file. The internal topics' replication
    /// factors are 1 (as in Kafka's stock server.properties) because one broker cannot hold three replicas.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> EmbeddedDefaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["broker.id"] = "0",
        ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
        ["log.dirs"] = EmbeddedDataDirectory,
        ["offsets.topic.replication.factor"] = "1",
        ["transaction.state.log.replication.factor"] = "1",
        ["transaction.state.log.min.isr"] = "1",
    };

    private readonly ConfigLayers _layers;

    /// <summary>Effective typed value of every defined config.</summary>
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    private BrokerConfig(ConfigLayers layers)
    {
        _layers = layers;
        foreach (var definition in BrokerConfigCatalog.Definitions)
        {
            _values[definition.Name] = _layers.TryGetSet(definition.Name, out var raw, out _)
                ? definition.ParseAndValidate(raw)
                : DefaultValue(definition);
        }

        ValidateKeys();
        (_securityProtocolMap, _listeners, _advertisedListeners, _interBrokerListenerName) = ResolveListeners();
        ValidateCombinations();
    }

    /// <summary>
    /// Builds the configuration from a properties file's contents (null: no file, embedded defaults apply) and
    /// <c>--override</c> values, which win over the file.
    /// </summary>
    public static BrokerConfig Create(
        IReadOnlyDictionary<string, string>? fileProperties,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        var staticConfigs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in fileProperties ?? new Dictionary<string, string>())
        {
            staticConfigs[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            staticConfigs[key] = value;
        }

        return new BrokerConfig(ConfigLayers.StaticOnly(staticConfigs, fileProperties is null ? EmbeddedDefaults : null));
    }

    /// <summary>
    /// Builds the configuration from command-line arguments as kafka-server-start.sh takes them:
    /// <c>[server.properties] [--override key=value]...</c>.
    /// </summary>
    public static BrokerConfig FromCommandLine(IReadOnlyList<string> args)
    {
        var commandLine = ServerCommandLine.Parse(args);
        var file = commandLine.PropertiesFile is null ? null : JavaProperties.Load(commandLine.PropertiesFile);
        return Create(file, commandLine.Overrides);
    }

    /// <summary>
    /// The same static configuration with dynamic configs applied (as stored in ZooKeeper under
    /// /config/brokers/&lt;id&gt; and /config/brokers/&lt;default&gt;). Throws <see cref="ConfigException"/> if one
    /// cannot be changed dynamically or is invalid.
    /// </summary>
    public BrokerConfig WithDynamicConfigs(
        IReadOnlyDictionary<string, string> perBroker,
        IReadOnlyDictionary<string, string> clusterDefault)
    {
        DynamicBrokerConfigRules.Validate(perBroker, isClusterDefault: false);
        DynamicBrokerConfigRules.Validate(clusterDefault, isClusterDefault: true);
        return new BrokerConfig(_layers with { DynamicBroker = perBroker, DynamicDefault = clusterDefault });
    }

    /// <summary>
    /// The same configuration for the id ZooKeeper generated (broker.id unset: /brokers/seqid plus
    /// reserved.broker.max.id), as Kafka's KafkaServer assigns it once ZooKeeper answered.
    /// </summary>
    public BrokerConfig WithGeneratedBrokerId(int brokerId) => new(_layers with { GeneratedBrokerId = brokerId });

    /// <summary>The typed value of a defined config (see <see cref="ConfigValues.Parse"/> for the types).</summary>
    public object? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"'{name}' is not a broker config.");

    /// <summary>
    /// The raw value of any accepted key, including listener-prefixed and plugin keys, or null if nobody set it.
    /// </summary>
    public string? GetOriginal(string key) => _layers.TryGetSet(key, out var value, out _) ? value : null;

    public int GetInt(string name) => (int)Get(name)!;

    public int? GetNullableInt(string name) => (int?)Get(name);

    public short GetShort(string name) => (short)Get(name)!;

    public long GetLong(string name) => (long)Get(name)!;

    public long? GetNullableLong(string name) => (long?)Get(name);

    public double GetDouble(string name) => (double)Get(name)!;

    public bool GetBoolean(string name) => (bool)Get(name)!;

    public string? GetString(string name) => (string?)Get(name);

    public IReadOnlyList<string> GetList(string name) => (IReadOnlyList<string>?)Get(name) ?? [];

    private object? DefaultValue(ConfigDefinition definition) =>
        _layers.ServerDefaults.TryGetValue(definition.Name, out var text) ? definition.ParseAndValidate(text) : definition.DefaultValue;

    /// <summary>Every set key must be a config Kafka knows; defined ones were parsed above, the rest are checked here.</summary>
    private void ValidateKeys()
    {
        var rsmPrefix = GetString("remote.log.storage.manager.impl.prefix") ?? string.Empty;
        var rlmmPrefix = GetString("remote.log.metadata.manager.impl.prefix") ?? string.Empty;
        foreach (var key in _layers.SetKeys().Order(StringComparer.Ordinal))
        {
            if (BrokerConfigCatalog.TryGet(key, out _) || BrokerConfigCatalog.IsPassThrough(key, rsmPrefix, rlmmPrefix))
            {
                continue;
            }

            if (BrokerConfigCatalog.TryResolve(key, out var baseDefinition))
            {
                _layers.TryGetSet(key, out var raw, out _);
                baseDefinition.ParseAndValidate(key, raw);
                continue;
            }

            if (BrokerConfigCatalog.TryGetDynamicOnly(key, out var dynamicOnly))
            {
                if (_layers.Static.ContainsKey(key))
                {
                    throw new ConfigException(key, $"Configuration '{key}' can only be set dynamically (kafka-configs.sh --alter), not in server.properties.");
                }

                _layers.TryGetSet(key, out var raw, out _);
                dynamicOnly.ParseAndValidate(raw);
                continue;
            }

            throw ConfigException.Unknown(key);
        }
    }
}
