using System.Globalization;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

public sealed partial class ZooKeeperClusterMetadata
{
    /// <summary>Lets a burst of watch events (several config znodes written at once) become one reload.</summary>
    private static readonly TimeSpan s_coalesce = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan s_retryAfterFailure = TimeSpan.FromMilliseconds(500);

    private readonly HashSet<(string Path, long Mzxid)> _reportedMalformed = [];

    // What the cache was last given; only the reload loop (and OpenAsync before it starts) touches these.
    private Dictionary<string, IReadOnlyDictionary<string, string>> _appliedTopicConfigs = new(StringComparer.Ordinal);
    private DynamicBrokerConfigs _appliedBrokerConfigs = DynamicBrokerConfigs.Empty;

    private async Task RunReloadLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _reloadSignal.WaitAsync(stop).ConfigureAwait(false);
                await Task.Delay(s_coalesce, stop).ConfigureAwait(false);
                await LoadConfigsAsync(_session.Client, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ZooKeeperException e)
            {
                // Disconnected or expired: keep serving the last image; the reconnect (or new session) asks again.
                ReloadFailed(_logger, e.Message);
                await Task.Delay(s_retryAfterFailure, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                RequestReload();
            }
            catch (ObjectDisposedException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads every topic's and broker's config overrides, watching each znode and both parents (one callback, so a
    /// znode watched twice fires once), and hands the ones that changed to the cache. A malformed znode is logged
    /// with its path and the entity keeps what it had.
    /// </summary>
    private async Task LoadConfigsAsync(ZooKeeperClient zk, CancellationToken cancellationToken)
    {
        var topicConfigs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (string topic in await zk.GetChildrenAsync(ZkPaths.TopicConfigs, _onWatch, cancellationToken).ConfigureAwait(false))
        {
            _appliedTopicConfigs.TryGetValue(topic, out IReadOnlyDictionary<string, string>? known);
            topicConfigs[topic] = await LoadConfigAsync(zk, ZkPaths.TopicConfig(topic), known, cancellationToken).ConfigureAwait(false);
        }

        DynamicBrokerConfigs brokerConfigs = await LoadBrokerConfigsAsync(zk, _appliedBrokerConfigs, cancellationToken).ConfigureAwait(false);
        foreach ((string topic, IReadOnlyDictionary<string, string> configs) in topicConfigs)
        {
            if (!_appliedTopicConfigs.TryGetValue(topic, out IReadOnlyDictionary<string, string>? before) || !SameConfigs(before, configs))
            {
                _cache.SetTopicConfigs(topic, configs);
            }
        }

        foreach (string gone in _appliedTopicConfigs.Keys.Where(t => !topicConfigs.ContainsKey(t)))
        {
            _cache.SetTopicConfigs(gone, new Dictionary<string, string>(StringComparer.Ordinal));
        }

        _appliedTopicConfigs = topicConfigs;
        IEnumerable<int?> brokers = brokerConfigs.PerBroker.Keys.Union(_appliedBrokerConfigs.PerBroker.Keys).Select(id => (int?)id).Append(null);
        foreach (int? id in brokers)
        {
            if (!SameConfigs(brokerConfigs.For(id), _appliedBrokerConfigs.For(id)))
            {
                _cache.SetBrokerConfigs(id, brokerConfigs.For(id));
            }
        }

        _appliedBrokerConfigs = brokerConfigs;
    }

    private async Task<DynamicBrokerConfigs> LoadBrokerConfigsAsync(ZooKeeperClient zk, DynamicBrokerConfigs previous, CancellationToken cancellationToken)
    {
        DynamicBrokerConfigs result = DynamicBrokerConfigs.Empty;
        foreach (string child in await zk.GetChildrenAsync(ZkPaths.BrokerConfigs, _onWatch, cancellationToken).ConfigureAwait(false))
        {
            int? id = null;
            if (child != ZkPaths.DefaultBrokerEntity)
            {
                if (!int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                {
                    ReportMalformed($"{ZkPaths.BrokerConfigs}/{child}", "not a broker id or <default>", 0);
                    continue;
                }

                id = parsed;
            }

            result = result.With(id, await LoadConfigAsync(zk, ZkPaths.BrokerConfig(id), previous.For(id), cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>A config entity's overrides (none when the znode is absent); on malformed JSON, what was known before.</summary>
    private async Task<IReadOnlyDictionary<string, string>> LoadConfigAsync(ZooKeeperClient zk, string path, IReadOnlyDictionary<string, string>? known, CancellationToken cancellationToken)
    {
        if (await zk.ExistsAsync(path, _onWatch, cancellationToken).ConfigureAwait(false) is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        ZNodeData? data = await TryGetDataAsync(zk, path, cancellationToken).ConfigureAwait(false);
        try
        {
            return data is null ? new Dictionary<string, string>(StringComparer.Ordinal) : ConfigZNode.Decode(path, data.Data);
        }
        catch (MalformedZNodeException e)
        {
            ReportMalformed(path, e.Reason, data!.Stat.Mzxid);
            return known ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>One log line per malformed znode version, not one per reload.</summary>
    private void ReportMalformed(string path, string reason, long mzxid)
    {
        lock (_reportedMalformed)
        {
            if (!_reportedMalformed.Add((path, mzxid)))
            {
                return;
            }
        }

        Malformed(_logger, path, reason);
    }

    private async Task<ZNodeData?> TryGetDataAsync(ZooKeeperClient zk, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await zk.GetDataAsync(path, _onWatch, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Skipping malformed znode {Path}: {Reason}")]
    private static partial void Malformed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Could not reload configs from ZooKeeper, keeping the last ones: {Reason}")]
    private static partial void ReloadFailed(ILogger logger, string reason);
}
