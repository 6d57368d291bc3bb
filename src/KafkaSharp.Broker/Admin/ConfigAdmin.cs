using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Logging;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Admin;

/// <summary>
/// Topic and broker configs as the admin APIs see them, following Kafka's ZooKeeper-mode broker (ConfigHelper and
/// ZkAdminManager): describe a resource's configs with sources and synonyms, replace a resource's dynamic configs
/// (AlterConfigs) or change them key by key (IncrementalAlterConfigs). Changes are stored through
/// <see cref="IClusterMetadata"/>, so they survive a restart and reach the logs through its change event.
/// Every failure is answered per resource with Kafka's error code and message.
/// </summary>
public sealed partial class ConfigAdmin : IDisposable
{
    private readonly IClusterMetadata _metadata;
    private readonly TopicManager _topics;
    private readonly Func<BrokerConfig> _config;
    private readonly BrokerLogLevels _logLevels;
    private readonly ILogger _logger;

    // Incremental changes read, modify and write a resource's set: one change at a time keeps them from losing each other's work.
    private readonly SemaphoreSlim _alterLock = new(1, 1);

    /// <param name="config">The current effective broker config (it changes when dynamic configs do).</param>
    /// <param name="logLevels">The broker's loggers (the BROKER_LOGGER resource).</param>
    public ConfigAdmin(IClusterMetadata metadata, TopicManager topics, Func<BrokerConfig> config, BrokerLogLevels logLevels, ILogger logger)
    {
        _metadata = metadata;
        _topics = topics;
        _config = config;
        _logLevels = logLevels;
        _logger = logger;
    }

    public void Dispose() => _alterLock.Dispose();

    /// <summary>
    /// A resource's configs: every config of a topic, every config of this broker, or, for the broker resource with
    /// an empty name, the cluster-wide dynamic defaults. <paramref name="keys"/> null or empty means all; unknown keys
    /// are left out.
    /// </summary>
    public ConfigResult Describe(ConfigResourceType type, string? name, IReadOnlyCollection<string>? keys)
    {
        try
        {
            IReadOnlyList<ConfigEntry> entries = type switch
            {
                ConfigResourceType.Topic => DescribeTopic(name),
                ConfigResourceType.Broker => DescribeBroker(name),
                ConfigResourceType.BrokerLogger => DescribeLoggers(name),
                _ => throw new KafkaApiException(ErrorCode.InvalidRequest, $"Unsupported resource type: {ResourceTypeName(type)}"),
            };
            return ConfigResult.Ok(keys is null || keys.Count == 0 ? entries : [.. entries.Where(e => keys.Contains(e.Name))]);
        }
        catch (KafkaApiException e)
        {
            return ConfigResult.Failed(e.ErrorCode, e.ErrorCode == ErrorCode.UnknownTopicOrPartition ? null : e.Message);
        }
    }

    private IReadOnlyList<ConfigEntry> DescribeTopic(string? name)
    {
        if (TopicNames.Validate(name) is { } problem)
        {
            throw new KafkaApiException(ErrorCode.InvalidTopicException, problem);
        }

        // Kafka answers a missing topic with the bare error code, no message.
        return _metadata.Current.TryGetTopic(name!, out TopicState? topic)
            ? _topics.ConfigFor(topic).Describe()
            : throw new KafkaApiException(ErrorCode.UnknownTopicOrPartition, string.Empty);
    }

    private IReadOnlyList<ConfigEntry> DescribeBroker(string? name)
    {
        BrokerConfig config = _config();
        if (string.IsNullOrEmpty(name))
        {
            return config.DescribeClusterDefaults();
        }

        if (ParseBrokerId(name) != config.BrokerId)
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest,
                $"Unexpected broker id, expected {config.BrokerId} or empty string, but received {name}");
        }

        return config.Describe();
    }

    /// <summary>Every logger with its effective level, as Kafka lists its log4j loggers; the broker id must be given.</summary>
    private ConfigEntry[] DescribeLoggers(string? name)
    {
        int brokerId = _config().BrokerId;
        if (string.IsNullOrEmpty(name))
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest, "Broker id must not be empty");
        }

        if (ParseBrokerId(name) != brokerId)
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {brokerId} but received {name}");
        }

        return [.. _logLevels.Loggers.Select(logger => new ConfigEntry(
            logger.Key, logger.Value, null, ConfigSource.DynamicBrokerLoggerConfig, IsSensitive: false, IsReadOnly: false, ConfigType.Unknown, []))];
    }

    /// <summary>Kafka's resourceNameToBrokerId: Java's Integer.parseInt, INVALID_REQUEST otherwise.</summary>
    internal static int ParseBrokerId(string name) =>
        int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int id)
            ? id
            : throw new KafkaApiException(ErrorCode.InvalidRequest, $"Broker id must be an integer, but it is: {name}");

    /// <summary>Kafka's enum names, as its messages print them.</summary>
    internal static string ResourceTypeName(ConfigResourceType type) => type switch
    {
        ConfigResourceType.Topic => "TOPIC",
        ConfigResourceType.Broker => "BROKER",
        ConfigResourceType.BrokerLogger => "BROKER_LOGGER",
        ConfigResourceType.ClientMetrics => "CLIENT_METRICS",
        ConfigResourceType.Group => "GROUP",
        _ => "UNKNOWN",
    };

    /// <summary>Kafka's ConfigResource.toString, used in its error messages.</summary>
    internal static string ResourceString(ConfigResourceType type, string? name) => $"ConfigResource(type={ResourceTypeName(type)}, name='{name}')";
}
