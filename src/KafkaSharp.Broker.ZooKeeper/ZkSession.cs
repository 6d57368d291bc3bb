using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

/// <summary>
/// The broker's ZooKeeper session. A client ends when the ensemble expires its session (its ephemerals and watches
/// are gone), so this holder replaces it with a new one and tells the owners (<see cref="NewSession"/>) to register
/// again and set their watches again — what Kafka's KafkaZkClient does through its state-change handlers.
/// </summary>
public sealed partial class ZkSession : IAsyncDisposable
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);
    private readonly ZooKeeperClientOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _handlersLock = new();
    private readonly List<(object Owner, Func<CancellationToken, Task> Handler)> _newSessionHandlers = [];
    private volatile ZooKeeperClient _client;
    private int _disposed;

    private ZkSession(ZooKeeperClient client, ZooKeeperClientOptions options, ILogger logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
        client.StateChanged += OnStateChanged;
    }

    /// <summary>The current client; after an expiry, a new one.</summary>
    public ZooKeeperClient Client => _client;

    /// <summary>Cancelled when the session holder is closed.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>
    /// Registers work to run, in registration order, after each replacement session is established; one handler
    /// per owner (a second call with the same owner is ignored).
    /// </summary>
    public void OnNewSessionOnce(object owner, Func<CancellationToken, Task> handler)
    {
        lock (_handlersLock)
        {
            if (!_newSessionHandlers.Exists(h => ReferenceEquals(h.Owner, owner)))
            {
                _newSessionHandlers.Add((owner, handler));
            }
        }
    }

    /// <summary>
    /// Connects, trying every host with back-off for up to the connection timeout (zookeeper.connection.timeout.ms);
    /// then throws <see cref="ConnectionLossException"/> naming the hosts.
    /// </summary>
    public static async Task<ZkSession> ConnectAsync(ZooKeeperClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        Connecting(logger, options.ConnectString, (long)options.ConnectionTimeout.TotalMilliseconds);
        ZooKeeperClient client = await ZooKeeperClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        Connected(logger, options.ConnectString, (long)client.SessionTimeout.TotalMilliseconds);
        return new ZkSession(client, options, logger);
    }

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        if (!ReferenceEquals(sender, _client))
        {
            return;
        }

        switch (e.State)
        {
            case ZooKeeperState.Disconnected:
                Disconnected(_logger);
                break;
            case ZooKeeperState.Connected:
                Reconnected(_logger);
                break;
            case ZooKeeperState.Expired:
                SessionExpired(_logger);
                _ = Task.Run(ReplaceClientAsync);
                break;
        }
    }

    /// <summary>Makes a new session (retrying with back-off until it works or the holder closes), then runs the handlers.</summary>
    private async Task ReplaceClientAsync()
    {
        CancellationToken closing = _closing.Token;
        TimeSpan backoff = TimeSpan.FromMilliseconds(200);
        while (!closing.IsCancellationRequested)
        {
            try
            {
                ZooKeeperClient fresh = await ZooKeeperClient.ConnectAsync(_options, closing).ConfigureAwait(false);
                ZooKeeperClient old = _client;
                fresh.StateChanged += OnStateChanged;
                _client = fresh;
                old.StateChanged -= OnStateChanged;
                await old.DisposeAsync().ConfigureAwait(false);
                NewSessionEstablished(_logger, fresh.SessionId);
                break;
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (ZooKeeperException e)
            {
                ReconnectFailed(_logger, e.Message);
                await Task.Delay(backoff, closing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
        }

        Func<CancellationToken, Task>[] handlers;
        lock (_handlersLock)
        {
            handlers = [.. _newSessionHandlers.Select(h => h.Handler)];
        }

        foreach (Func<CancellationToken, Task> handler in handlers)
        {
            try
            {
                await handler(closing).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                NewSessionHandlerFailed(_logger, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _client.StateChanged -= OnStateChanged;
        await _client.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Connecting to ZooKeeper at {ConnectString} (zookeeper.connection.timeout.ms={TimeoutMs})")]
    private static partial void Connecting(ILogger logger, string connectString, long timeoutMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Connected to ZooKeeper at {ConnectString}, session timeout {TimeoutMs} ms")]
    private static partial void Connected(ILogger logger, string connectString, long timeoutMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Lost the connection to ZooKeeper; reconnecting with the same session")]
    private static partial void Disconnected(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Reconnected to ZooKeeper")]
    private static partial void Reconnected(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The ZooKeeper session expired; starting a new one")]
    private static partial void SessionExpired(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "New ZooKeeper session 0x{SessionId:x}")]
    private static partial void NewSessionEstablished(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Could not start a new ZooKeeper session yet: {Reason}")]
    private static partial void ReconnectFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Re-registering after a new ZooKeeper session failed")]
    private static partial void NewSessionHandlerFailed(ILogger logger, Exception exception);
}
