using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

/// <summary>
/// Cluster metadata kept in ZooKeeper with Kafka's layout. Reads: the image is rebuilt from ZooKeeper (live brokers,
/// controller, topic assignments, partition states the controller wrote, topic and broker configs) whenever a watch
/// fires, so every broker shows the whole cluster. Writes go where a ZooKeeper-mode Kafka broker puts them
/// (AdminZkClient): CreateTopics writes /config/topics and /brokers/topics, DeleteTopics marks /admin/delete_topics,
/// config changes write /config/... plus a change notification; the controller does the rest, and each call returns
/// once this broker's image shows the result (or times out with REQUEST_TIMED_OUT, as Kafka's delayed admin
/// operations do).
/// </summary>
public sealed partial class ZooKeeperClusterMetadata : IClusterMetadata, IAsyncDisposable
{
    /// <summary>How long a write waits to see its effect; Kafka's admin requests default to 30 s as well.</summary>
    public static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);

    private readonly ZkSession _session;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _reloadSignal = new(0, 1);
    private readonly Action<WatchedEvent> _onWatch;
    private readonly Lock _publishLock = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterImage _current;
    private Task? _reloadLoop;

    private ZooKeeperClusterMetadata(ZkSession session, ClusterImage initial, int brokerId, ILogger logger)
    {
        _session = session;
        _current = initial;
        BrokerId = brokerId;
        _logger = logger;
        _onWatch = _ => RequestReload();
    }

    public int BrokerId { get; }

    public ZkSession Session => _session;

    public ClusterImage Current => Volatile.Read(ref _current);

    public event Action<ClusterImage, ClusterImage>? Changed;

    /// <summary>Loads the first image (before the broker opens its logs) and starts following ZooKeeper.</summary>
    public static async Task<ZooKeeperClusterMetadata> OpenAsync(ZkSession session, string clusterId, int brokerId, ILogger logger, CancellationToken cancellationToken)
    {
        var empty = new ClusterImage(clusterId, -1, [], []);
        var metadata = new ZooKeeperClusterMetadata(session, empty, brokerId, logger);
        ClusterImage first = await metadata.LoadAsync(session.Client, empty, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref metadata._current, first);
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
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

    private void Publish(ClusterImage after)
    {
        ClusterImage before;
        TaskCompletionSource published;
        lock (_publishLock)
        {
            before = Current;
            Volatile.Write(ref _current, after);
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

        _stop.Dispose();
        _reloadSignal.Dispose();
    }
}
