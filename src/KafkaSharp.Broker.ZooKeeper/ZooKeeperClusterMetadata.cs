using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

/// <summary>
/// A ZooKeeper-mode broker's metadata, as Kafka's ZkMetadataCache: partition leadership, live brokers and the
/// controller come from the controller's UpdateMetadata and LeaderAndIsr requests, applied by
/// <see cref="ControllerFedMetadataCache"/> (<see cref="IControllerFedClusterMetadata"/>), so every broker serves
/// what the controller decided and a deposed controller's requests are refused by epoch. Topic and broker configs
/// are read from ZooKeeper (/config/topics, /config/brokers, watched), as Kafka's brokers read them there
/// (through /config/changes) too. Nothing else is read from ZooKeeper directly: topic ids and assignments arrive in
/// UpdateMetadata (v7+), and the admin APIs that need more (reassignments) ask the controller, which reads ZooKeeper.
/// Writes go where a ZooKeeper-mode Kafka broker puts them (AdminZkClient): CreateTopics writes /config/topics and
/// /brokers/topics, DeleteTopics marks /admin/delete_topics, config changes write /config/... plus a change
/// notification; the controller does the rest, and each call returns once this broker's metadata shows the result
/// (or times out with REQUEST_TIMED_OUT, as Kafka's delayed admin operations do).
/// </summary>
public sealed partial class ZooKeeperClusterMetadata : IControllerFedClusterMetadata, IAsyncDisposable
{
    /// <summary>How long a write waits to see its effect; Kafka's admin requests default to 30 s as well.</summary>
    public static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);

    private readonly ZkSession _session;
    private readonly ControllerFedMetadataCache _cache;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _waitsAbandoned = new();
    private readonly SemaphoreSlim _reloadSignal = new(0, 1);
    private readonly Action<WatchedEvent> _onWatch;
    private readonly Lock _publishLock = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reloadLoop;

    private ZooKeeperClusterMetadata(ZkSession session, ControllerFedMetadataCache cache, ILogger logger)
    {
        _session = session;
        _cache = cache;
        _logger = logger;
        _onWatch = _ => RequestReload();
        _cache.Changed += OnCacheChanged;
    }

    public int BrokerId => _cache.BrokerId;

    public ZkSession Session => _session;

    public ControllerFedMetadataCache ControllerFed => _cache;

    public ClusterImage Current => _cache.Current;

    public event Action<ClusterImage, ClusterImage>? Changed;

    /// <summary>
    /// Reads the configs (before the broker opens its logs, so they get their topic configs) and starts following
    /// them. The rest of the metadata is empty (this broker alone) until the controller's first UpdateMetadata.
    /// </summary>
    public static async Task<ZooKeeperClusterMetadata> OpenAsync(ZkSession session, string clusterId, BrokerNode self, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var cache = new ControllerFedMetadataCache(self, clusterId, logger);
        var metadata = new ZooKeeperClusterMetadata(session, cache, logger);
        await metadata.LoadConfigsAsync(session.Client, cancellationToken).ConfigureAwait(false);
        metadata._reloadLoop = Task.Run(metadata.RunReloadLoopAsync, CancellationToken.None);
        session.OnNewSessionOnce(metadata, _ =>
        {
            metadata.RequestReload();
            return Task.CompletedTask;
        });
        return metadata;
    }

    /// <summary>Asks for a reload soon; several requests before it starts make one.</summary>
    public void RequestReload()
    {
        try
        {
            if (_reloadSignal.CurrentCount == 0)
            {
                _reloadSignal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // A reload is already pending.
        }
        catch (ObjectDisposedException)
        {
            // Closed.
        }
    }

    /// <summary>Waits until the image satisfies <paramref name="done"/>; REQUEST_TIMED_OUT after <see cref="PropagationTimeout"/>.</summary>
    public async Task<ClusterImage> WaitForAsync(Func<ClusterImage, bool> done, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token, _waitsAbandoned.Token);
        timeout.CancelAfter(PropagationTimeout);
        RequestReload();
        while (true)
        {
            Task next;
            lock (_publishLock)
            {
                next = _published.Task;
            }

            ClusterImage image = Current;
            if (done(image))
            {
                return image;
            }

            try
            {
                await next.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KafkaApiException(ErrorCode.RequestTimedOut, $"Timed out waiting for {what} to reach this broker's metadata.");
            }
        }
    }

    /// <summary>
    /// The broker is stopping: writes still waiting for their effect answer REQUEST_TIMED_OUT now. The effect would
    /// arrive in the controller's requests, which a stopping broker no longer reads, and the broker waits for every
    /// request in flight before it closes.
    /// </summary>
    public void AbandonWaits()
    {
        try
        {
            _waitsAbandoned.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed already.
        }
    }

    /// <summary>Runs under the cache's lock, in order: wakes the writers waiting for an effect, then the broker's listeners.</summary>
    private void OnCacheChanged(ClusterImage before, ClusterImage after)
    {
        TaskCompletionSource published;
        lock (_publishLock)
        {
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Changed?.Invoke(before, after);
        published.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        RequestReload();
        if (_reloadLoop is not null)
        {
            await _reloadLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _cache.Changed -= OnCacheChanged;
        _stop.Dispose();
        _waitsAbandoned.Dispose();
        _reloadSignal.Dispose();
    }
}
