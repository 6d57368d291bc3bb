using System.Threading.Channels;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>
/// The ZooKeeper-mode controller. Every broker runs one; the one whose session creates the ephemeral /controller
/// (in the same multi that bumps /controller_epoch by compare-and-set) is active. The active controller watches
/// /brokers/ids, /brokers/topics (and each topic), /admin/delete_topics and /admin/reassign_partitions, and brings
/// partition states in line: initialises new partitions, moves leadership off dead brokers, deletes topics, completes
/// reassignments. Every write it makes is a multi that first checks /controller_epoch's version, so a deposed
/// controller's writes fail instead of undoing a newer controller's (Kafka's zkVersion fencing, KIP-455 era).
/// After each item of work it sends the brokers LeaderAndIsr, UpdateMetadata and StopReplica for what changed
/// (<see cref="PropagateAsync"/>), carrying its epoch, so brokers also refuse a deposed controller's requests
/// (STALE_CONTROLLER_EPOCH). All work runs one item at a time on one loop.
/// </summary>
public sealed partial class KafkaController : IAsyncDisposable
{
    private readonly ZkSession _session;
    private readonly int _brokerId;
    private readonly Func<BrokerConfig> _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<WatchedEvent> _onControllerChange;
    private readonly Action<WatchedEvent> _onClusterChange;
    private readonly ControllerChannelManager _channels;
    private Task? _loop;
    private bool _propagatedInWork;
    private ITimer? _rebalanceTimer;
    private int _reconcilePending;
    private volatile bool _active;
    private int _epoch;
    private int _epochZkVersion = -1;

    /// <param name="channel">The inter-broker channel controller requests go through.</param>
    public KafkaController(ZkSession session, int brokerId, Func<BrokerConfig> config, InterBrokerChannel channel, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels = new ControllerChannelManager(channel, logger);
        _session = session;
        _brokerId = brokerId;
        _config = config;
        _time = time;
        _logger = logger;
        _onControllerChange = _ => Enqueue(ElectAsync);
        _onClusterChange = _ => RequestReconcile();
    }

    /// <summary>Whether this broker is the active controller.</summary>
    public bool IsActive => _active;

    /// <summary>The epoch this broker won the election with (0 before it ever did).</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    public void Start()
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        _session.OnNewSessionOnce(this, _ =>
        {
            // A new session lost /controller with the old one; stand again.
            Resign("the ZooKeeper session expired");
            Enqueue(ElectAsync);
            return Task.CompletedTask;
        });
        Enqueue(ElectAsync);
        BrokerConfig config = _config();
        if (config.GetBoolean("auto.leader.rebalance.enable"))
        {
            var interval = TimeSpan.FromSeconds(config.GetLong("leader.imbalance.check.interval.seconds"));
            _rebalanceTimer = _time.CreateTimer(_ => Enqueue(AutoRebalanceAsync), null, interval, interval);
        }
    }

    private void Enqueue(Func<Task> work) => _work.Writer.TryWrite(work);

    /// <summary>Runs <paramref name="work"/> on the controller loop and returns its result.</summary>
    private Task<T> RunOnLoopAsync<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(async () =>
        {
            T result;
            try
            {
                result = await work().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
                return;
            }

            // The brokers' requests are queued before the answer goes out (Kafka answers ControlledShutdown after
            // its LeaderAndIsr batch is sent); a ZooKeeper hiccup here is retried after the item, like any other.
            try
            {
                await PropagateAsync().ConfigureAwait(false);
                _propagatedInWork = true;
            }
            finally
            {
                done.TrySetResult(result);
            }
        }))
        {
            done.TrySetException(new ObjectDisposedException(nameof(KafkaController)));
        }

        return done.Task;
    }

    private void RequestReconcile()
    {
        if (Interlocked.Exchange(ref _reconcilePending, 1) == 0)
        {
            Enqueue(async () =>
            {
                Volatile.Write(ref _reconcilePending, 0);
                await ReconcileAsync().ConfigureAwait(false);
            });
        }
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            await foreach (Func<Task> work in _work.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    _propagatedInWork = false;
                    await work().ConfigureAwait(false);
                    if (!_propagatedInWork)
                    {
                        await PropagateAsync().ConfigureAwait(false);
                    }
                }
                catch (ZooKeeperException e) when (!stop.IsCancellationRequested)
                {
                    // Connection loss or expiry mid-work: try again once ZooKeeper answers (watches re-fire after
                    // a reconnect; a new session re-runs the election).
                    WorkFailed(_logger, e.Message);
                    _ = RetryLaterAsync(stop);
                }
                catch (ObjectDisposedException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    WorkCrashed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task RetryLaterAsync(CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!stop.IsCancellationRequested)
        {
            Enqueue(_active ? ReconcileAsync : ElectAsync);
        }
    }

    /// <summary>
    /// KafkaZkClient.registerControllerAndIncrementControllerEpoch: if nobody holds /controller, create it and bump
    /// the epoch in one multi; either way, watch /controller so its deletion starts the next election.
    /// </summary>
    private async Task ElectAsync()
    {
        ZooKeeperClient zk = _session.Client;
        if (await zk.ExistsAsync(ZkPaths.Controller, _onControllerChange, _stop.Token).ConfigureAwait(false) is { } stat)
        {
            if (stat.EphemeralOwner != zk.SessionId)
            {
                Resign("another broker is controller");
            }

            return;
        }

        (int epoch, int version) = await ReadEpochAsync(zk).ConfigureAwait(false);
        IReadOnlyList<ZooKeeperOpResult> results;
        try
        {
            results = await zk.MultiAsync(
            [
                ZooKeeperOp.Create(ZkPaths.Controller, ControllerZNode.Encode(_brokerId, _time.GetUtcNow().ToUnixTimeMilliseconds()), CreateMode.Ephemeral),
                ZooKeeperOp.SetData(ZkPaths.ControllerEpoch, ControllerEpochZNode.Encode(epoch + 1), version),
            ], _stop.Token).ConfigureAwait(false);
        }
        catch (ZooKeeperException e) when (e.Code is ZooKeeperErrorCode.NodeExists or ZooKeeperErrorCode.BadVersion)
        {
            // Another broker won this round; the watch set above (or this retry) decides the next.
            Enqueue(ElectAsync);
            return;
        }

        Volatile.Write(ref _epochZkVersion, ((ZooKeeperOpResult.SetData)results[1]).Stat.Version);
        Volatile.Write(ref _epoch, epoch + 1);
        _active = true;
        _sent = null;
        _shuttingDown.Clear();
        _deletedReplicas.Clear(); // A new epoch asks every replica of a pending deletion again.
        _reportedPending.Clear();
        Elected(_logger, _brokerId, epoch + 1);
        await zk.ExistsAsync(ZkPaths.Controller, _onControllerChange, _stop.Token).ConfigureAwait(false);
        await ReconcileAsync().ConfigureAwait(false);
    }

    private async Task<(int Epoch, int Version)> ReadEpochAsync(ZooKeeperClient zk)
    {
        try
        {
            ZNodeData data = await zk.GetDataAsync(ZkPaths.ControllerEpoch, _stop.Token).ConfigureAwait(false);
            return (ControllerEpochZNode.Decode(data.Data), data.Stat.Version);
        }
        catch (NoNodeException)
        {
            try
            {
                // Kafka starts the epoch at 0 (KafkaController.InitialControllerEpoch); the winner makes it 1.
                await zk.CreateAsync(ZkPaths.ControllerEpoch, ControllerEpochZNode.Encode(0), cancellationToken: _stop.Token).ConfigureAwait(false);
            }
            catch (NodeExistsException)
            {
            }

            ZNodeData data = await zk.GetDataAsync(ZkPaths.ControllerEpoch, _stop.Token).ConfigureAwait(false);
            return (ControllerEpochZNode.Decode(data.Data), data.Stat.Version);
        }
    }

    private void Resign(string reason)
    {
        if (_active)
        {
            _active = false;
            _sent = null;
            _channels.StopAll();
            Resigned(_logger, _brokerId, reason);
        }
    }

    /// <summary>
    /// Applies <paramref name="operations"/> only if this controller's epoch is still current: false (and resigned)
    /// when a newer controller bumped /controller_epoch; other failures (a znode changed meanwhile) throw.
    /// </summary>
    private async Task<bool> FencedMultiAsync(IReadOnlyList<ZooKeeperOp> operations)
    {
        try
        {
            await _session.Client.MultiAsync([ZooKeeperOp.Check(ZkPaths.ControllerEpoch, Volatile.Read(ref _epochZkVersion)), .. operations], _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (ZooKeeperException e) when (e.FailedOperationIndex == 0)
        {
            Resign($"/controller_epoch moved on ({e.Code}): a newer controller exists");
            Enqueue(ElectAsync);
            return false;
        }
    }

    /// <summary>Stops the loop; the ephemeral /controller goes when the session closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_rebalanceTimer is not null)
        {
            await _rebalanceTimer.DisposeAsync().ConfigureAwait(false);
        }

        _work.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _active = false;
        _channels.StopAll();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Broker {BrokerId} is the controller, epoch {Epoch}")]
    private static partial void Elected(ILogger logger, int brokerId, int epoch);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Broker {BrokerId} is no longer the controller: {Reason}")]
    private static partial void Resigned(ILogger logger, int brokerId, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Controller work failed on ZooKeeper, retrying: {Reason}")]
    private static partial void WorkFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Controller work failed")]
    private static partial void WorkCrashed(ILogger logger, Exception exception);
}
