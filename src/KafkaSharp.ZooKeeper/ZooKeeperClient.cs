using System.Net;
using System.Threading.Channels;
using KafkaSharp.ZooKeeper.Connection;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;
using KafkaSharp.ZooKeeper.Protocol.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.ZooKeeper;

/// <summary>
/// A ZooKeeper client speaking the jute protocol over TCP: one session, kept alive across connections to the
/// members of an ensemble. Operations are async and may be issued concurrently; their replies come back in order.
/// <para>
/// While connected, requests flow and pings keep the session alive. When the connection is lost, requests awaiting
/// replies fail with <see cref="ConnectionLossException"/> and the client reconnects, to the next host, with the same
/// session id and password; watches are re-registered there. If the ensemble has expired the session meanwhile,
/// the client ends in <see cref="ZooKeeperState.Expired"/> and every call throws <see cref="SessionExpiredException"/>.
/// </para>
/// </summary>
public sealed partial class ZooKeeperClient : IAsyncDisposable
{
    private static readonly TimeSpan s_closeReplyTimeout = TimeSpan.FromSeconds(5);

    private readonly ZooKeeperClientOptions _options;
    private readonly ZooKeeperConnectionString _connectString;
    private readonly ZooKeeperHost[] _hosts;
    private readonly ILogger _logger;
    private readonly Channel<Packet> _outgoing = Channel.CreateUnbounded<Packet>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WatchRegistry _watches = new();
    private readonly EventDispatcher _events;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _sessionLoop = Task.CompletedTask;

    private long _sessionId;
    private byte[] _sessionPassword;
    private int _sessionTimeoutMs;
    private long _lastZxid;
    private int _lastXid;
    private volatile ZooKeeperState _state = ZooKeeperState.Connecting;
    private volatile EndPoint? _connectedServer;
    private volatile bool _closeRequested;
    private int _disposed;

    private ZooKeeperClient(ZooKeeperClientOptions options)
    {
        _options = options;
        _connectString = ZooKeeperConnectionString.Parse(options.ConnectString);
        _hosts = [.. _connectString.Hosts];
        if (options.ShuffleHosts)
        {
            Random.Shared.Shuffle(_hosts);
        }

        _logger = options.Logger ?? NullLogger.Instance;
        _events = new EventDispatcher(_logger);
        _sessionId = options.SessionId;
        _sessionPassword = options.SessionId != 0 ? options.SessionPassword.ToArray() : new byte[16];
        _sessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds;
    }

    /// <summary>Raised (on the client's event loop, in order with watch events) whenever <see cref="State"/> changes.</summary>
    public event EventHandler<ZooKeeperStateChangedEventArgs>? StateChanged;

    public ZooKeeperState State => _state;

    /// <summary>The session's id, once connected; with <see cref="SessionPassword"/> it lets another client resume the session.</summary>
    public long SessionId => Interlocked.Read(ref _sessionId);

    public ReadOnlyMemory<byte> SessionPassword => Volatile.Read(ref _sessionPassword);

    /// <summary>The session timeout the server granted (the requested one until then).</summary>
    public TimeSpan SessionTimeout => TimeSpan.FromMilliseconds(Volatile.Read(ref _sessionTimeoutMs));

    /// <summary>The server of the current connection, or null while not connected.</summary>
    public EndPoint? ConnectedServer => _connectedServer;

    /// <summary>The chroot every path is relative to, or null.</summary>
    public string? Chroot => _connectString.Chroot;

    /// <summary>The highest zxid seen in a reply.</summary>
    public long LastZxid => Interlocked.Read(ref _lastZxid);

    /// <summary>Connects to the first reachable host of a connect string (see <see cref="ZooKeeperConnectionString"/>) with default options.</summary>
    public static Task<ZooKeeperClient> ConnectAsync(string connectString, CancellationToken cancellationToken = default) =>
        ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString }, cancellationToken);

    /// <summary>
    /// Connects and establishes (or resumes) a session. Tries the hosts in turn until one accepts, for at most
    /// <see cref="ZooKeeperClientOptions.ConnectionTimeout"/>; then throws <see cref="ConnectionLossException"/>
    /// naming every host and why it failed. Throws <see cref="SessionExpiredException"/> if asked to resume a
    /// session that has expired.
    /// </summary>
    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ZooKeeperClient(options);
        client._sessionLoop = Task.Run(client.RunSessionAsync, CancellationToken.None);
        try
        {
            await client._firstConnection.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Closes the session (its ephemeral nodes go at once, not after the timeout) and the connection. Requests still
    /// outstanding fail with <see cref="ObjectDisposedException"/>; watchers hear a <see cref="ZooKeeperState.Closed"/> event.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _closeRequested = true;
        if (_state == ZooKeeperState.Connected)
        {
            await CloseSessionAsync().ConfigureAwait(false);
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _sessionLoop.ConfigureAwait(false);
        await _events.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private async Task CloseSessionAsync()
    {
        var close = new Packet<bool>(OpCode.CloseSession, EmptyRequest.Instance, null, ResponseCodecs.ReadNothing);
        if (!_outgoing.Writer.TryWrite(close))
        {
            return;
        }

        try
        {
            await close.Task.WaitAsync(s_closeReplyTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZooKeeperException or TimeoutException or ObjectDisposedException)
        {
            // Closing anyway: the session then ends by timeout on the server.
            LogCloseSessionFailed(e);
        }
    }

    private void SetState(ZooKeeperState state)
    {
        if (_state == state)
        {
            return;
        }

        _state = state;
        _events.Post(() => StateChanged?.Invoke(this, new ZooKeeperStateChangedEventArgs(state)));
    }
}
