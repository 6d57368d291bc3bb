using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Logging;
using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Admin;

public sealed partial class ConfigAdmin
{
    /// <summary>
    /// AlterConfigs: <paramref name="configs"/> becomes the resource's whole set of dynamic configs (topic overrides,
    /// this broker's configs, or the cluster-wide defaults for the empty broker name); anything not named is removed.
    /// </summary>
    public async ValueTask<ConfigResult> AlterAsync(
        ConfigResourceType type,
        string? name,
        IReadOnlyList<KeyValuePair<string, string?>> configs,
        bool validateOnly,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        return await RunAlterationAsync(type, name, async () =>
        {
            string[] nulls = [.. configs.Where(c => c.Value is null).Select(c => c.Key)];
            if (nulls.Length > 0)
            {
                throw new KafkaApiException(ErrorCode.InvalidRequest, $"Null value not supported for : {string.Join(',', nulls)}");
            }

            // As Java Properties: a key given twice keeps its last value.
            var set = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string key, string? value) in configs)
            {
                set[key] = value!;
            }

            await ReplaceAsync(type, name, _ => set, validateOnly, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// IncrementalAlterConfigs: applies SET / DELETE / APPEND / SUBTRACT to the resource's current dynamic configs,
    /// then validates and stores the result as <see cref="AlterAsync"/> does.
    /// </summary>
    public async ValueTask<ConfigResult> IncrementalAlterAsync(
        ConfigResourceType type,
        string? name,
        IReadOnlyList<IncrementalConfigChange> alterations,
        bool validateOnly,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alterations);
        return await RunAlterationAsync(type, name, async () =>
        {
            string[] duplicates = [.. alterations.GroupBy(a => a.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
            if (duplicates.Length > 0)
            {
                throw new KafkaApiException(ErrorCode.InvalidRequest, $"Error due to duplicate config keys : {string.Join(',', duplicates)}");
            }

            string[] nulls = [.. alterations.Where(a => a.Value is null && a.Operation != AlterConfigOpType.Delete)
                .Select(a => $"{a.Operation.ToString().ToUpperInvariant()}:{a.Name}")];
            if (nulls.Length > 0)
            {
                throw new KafkaApiException(ErrorCode.InvalidRequest, $"Null value not supported for : {string.Join(',', nulls)}");
            }

            if (type == ConfigResourceType.BrokerLogger)
            {
                AlterLogLevels(name, alterations, validateOnly);
                return;
            }

            Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> apply = type == ConfigResourceType.Topic
                ? current => IncrementalConfigChanges.ApplyToTopic(current, alterations)
                : current => IncrementalConfigChanges.ApplyToBroker(current, alterations);
            await ReplaceAsync(type, name, apply, validateOnly, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serializes alterations and turns every failure into the resource's error, as Kafka's alterConfigs does.</summary>
    private async ValueTask<ConfigResult> RunAlterationAsync(ConfigResourceType type, string? name, Func<Task> alteration, CancellationToken cancellationToken)
    {
        await _alterLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await alteration().ConfigureAwait(false);
            return ConfigResult.Ok();
        }
        catch (KafkaApiException e)
        {
            AlterRefused(_logger, type, name, e.ErrorCode, e.Message);
            return ConfigResult.Failed(e.ErrorCode, e.Message);
        }
        catch (ConfigException e)
        {
            // Kafka wraps a ConfigException from validation in InvalidConfigurationException with this prefix.
            string message = $"Invalid config value for resource {ResourceString(type, name)}: {e.Message}";
            AlterRefused(_logger, type, name, ErrorCode.InvalidConfig, message);
            return ConfigResult.Failed(ErrorCode.InvalidConfig, message);
        }
        finally
        {
            _alterLock.Release();
        }
    }

    /// <summary>Computes the resource's new set from its current one, validates it and, unless only validating, stores it.</summary>
    private async Task ReplaceAsync(
        ConfigResourceType type,
        string? name,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> next,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        switch (type)
        {
            case ConfigResourceType.Topic:
                await ReplaceTopicConfigsAsync(name, next, validateOnly, cancellationToken).ConfigureAwait(false);
                break;
            case ConfigResourceType.Broker:
                await ReplaceBrokerConfigsAsync(name, next, validateOnly, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new KafkaApiException(ErrorCode.InvalidRequest,
                    $"AlterConfigs is only supported for topics and brokers, but resource type is {ResourceTypeName(type)}");
        }
    }

    private async Task ReplaceTopicConfigsAsync(
        string? name,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> next,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest, "Default topic resources are not allowed.");
        }

        if (!_metadata.Current.TryGetTopic(name, out TopicState? topic))
        {
            throw new KafkaApiException(ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.");
        }

        IReadOnlyDictionary<string, string> overrides = next(topic.Configs);
        try
        {
            TopicConfig.ValidateNames(overrides.Keys);
        }
        catch (ConfigException e)
        {
            // Kafka throws InvalidConfigurationException itself for an unknown name: no prefix.
            throw new KafkaApiException(ErrorCode.InvalidConfig, e.Message, e);
        }

        TopicConfig.Create(_config(), overrides);
        if (validateOnly)
        {
            return;
        }

        await _metadata.SetTopicConfigsAsync(topic.TopicId, overrides, cancellationToken).ConfigureAwait(false);
        TopicConfigsChanged(_logger, name, overrides.Count);
    }

    private async Task ReplaceBrokerConfigsAsync(
        string? name,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> next,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        BrokerConfig config = _config();
        int? brokerId = null;
        if (!string.IsNullOrEmpty(name))
        {
            brokerId = ParseBrokerId(name);
            if (brokerId != config.BrokerId)
            {
                throw new KafkaApiException(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {config.BrokerId}, but received {name}");
            }
        }

        DynamicBrokerConfigs stored = _metadata.Current.BrokerConfigs;
        IReadOnlyDictionary<string, string> configs = next(stored.For(brokerId));
        DynamicBrokerConfigs updated = stored.With(brokerId, configs);

        // Builds the whole effective config: checks each key may change dynamically at this level, each value, and
        // the cross-config rules, exactly as a restart with these configs would.
        config.WithDynamicConfigs(updated.For(config.BrokerId), updated.ClusterDefault);
        RefuseSecrets(config, configs);
        if (validateOnly)
        {
            return;
        }

        await _metadata.SetBrokerConfigsAsync(brokerId, configs, cancellationToken).ConfigureAwait(false);
        BrokerConfigsChanged(_logger, brokerId, configs.Count);
    }

    /// <summary>
    /// BROKER_LOGGER: SET a logger's level or DELETE it (the logger then follows its parent); the root logger's level
    /// cannot be removed, and lists operations make no sense for levels. All are checked before any is applied.
    /// </summary>
    private void AlterLogLevels(string? name, IReadOnlyList<IncrementalConfigChange> changes, bool validateOnly)
    {
        int brokerId = _config().BrokerId;
        if (!string.IsNullOrEmpty(name) && ParseBrokerId(name) != brokerId)
        {
            throw new KafkaApiException(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {brokerId}, but received {name}");
        }

        foreach (IncrementalConfigChange change in changes)
        {
            switch (change.Operation)
            {
                case AlterConfigOpType.Set:
                    RequireLogger(change.Name);
                    if (!BrokerLogLevels.ValidLevels.Contains(change.Value))
                    {
                        throw new ConfigException(change.Name,
                            $"Cannot set the log level of {change.Name} to {change.Value} as it is not a supported log level. Valid log levels are {string.Join(", ", BrokerLogLevels.ValidLevels)}");
                    }

                    break;
                case AlterConfigOpType.Delete:
                    RequireLogger(change.Name);
                    if (change.Name == BrokerLogLevels.RootLogger)
                    {
                        throw new KafkaApiException(ErrorCode.InvalidRequest, $"Removing the log level of the {BrokerLogLevels.RootLogger} logger is not allowed");
                    }

                    break;
                default:
                    throw new KafkaApiException(ErrorCode.InvalidRequest,
                        $"{change.Operation.ToString().ToUpperInvariant()} operation is not allowed for the BROKER_LOGGER resource");
            }
        }

        if (validateOnly)
        {
            return;
        }

        foreach (IncrementalConfigChange change in changes)
        {
            if (change.Operation == AlterConfigOpType.Set)
            {
                _logLevels.Set(change.Name, change.Value!);
            }
            else
            {
                _logLevels.Unset(change.Name);
            }
        }
    }

    private void RequireLogger(string name)
    {
        if (!_logLevels.Exists(name))
        {
            throw new ConfigException(name, $"Logger {name} does not exist!");
        }
    }

    /// <summary>
    /// Kafka stores dynamic passwords encrypted with password.encoder.secret and refuses them without it. This broker
    /// has no encoder, so it never stores a secret in clear: a password config cannot be set dynamically.
    /// </summary>
    private static void RefuseSecrets(BrokerConfig config, IReadOnlyDictionary<string, string> configs)
    {
        foreach (string key in configs.Keys.Order(StringComparer.Ordinal))
        {
            if (config.DescribeOne(key).Type == ConfigType.Password)
            {
                throw new ConfigException(key, config.GetOriginal("password.encoder.secret") is null
                    ? "Password encoder secret not configured"
                    : $"Dynamic password configs are not supported by this broker: {key}");
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Updated the configuration of topic {Topic}: {Count} overrides")]
    private static partial void TopicConfigsChanged(ILogger logger, string topic, int count);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Updated the dynamic configuration of broker {BrokerId} (none: the cluster-wide default): {Count} configs")]
    private static partial void BrokerConfigsChanged(ILogger logger, int? brokerId, int count);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Refused to alter {ResourceType} '{ResourceName}': {Error} {Reason}")]
    private static partial void AlterRefused(ILogger logger, ConfigResourceType resourceType, string? resourceName, ErrorCode error, string reason);
}
