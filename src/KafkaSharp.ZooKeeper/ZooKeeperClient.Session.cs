using System.Diagnostics;
using System.Threading.Channels;
using KafkaSharp.ZooKeeper.Connection;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;

namespace KafkaSharp.ZooKeeper;

public sealed partial class ZooKeeperClient : IConnectionOwner
{
    // ZooKeeper's client splits SetWatches so that no frame nears the server's 1 MB jute.maxbuffer.
    private const int SetWatchesBatchBytes = 128 * 1024;

    ChannelReader<Packet> IConnectionOwner.Outgoing => _outgoing.Reader;

    int IConnectionOwner.NextXid() => Interlocked.Increment(ref _lastXid);

    void IConnectionOwner.OnZxid(long zxid)
    {
        // Only the reader loop writes; Interlocked makes the 64-bit value safe to read from other threads.
        if (zxid > Interlocked.Read(ref _lastZxid))
        {
            Interlocked.Exchange(ref _lastZxid, zxid);
        }
    }

    void IConnectionOwner.OnWatchReply(WatchRegistration registration, ZooKeeperErrorCode err)
    {
        if (err == ZooKeeperErrorCode.Ok)
        {
            _watches.Register(registration.OnSuccess, registration.ClientPath, registration.Watcher);
        }
        else if (err == ZooKeeperErrorCode.NoNode && registration.OnNoNode is { } kind)
        {
            _watches.Register(kind, registration.ClientPath, registration.Watcher);
        }
    }

    void IConnectionOwner.OnNotification(WatchEventType type, string serverPath)
    {
        string path = ZNodePath.ToClient(Chroot, serverPath);
        var watchedEvent = new WatchedEvent(type, ZooKeeperState.Connected, path);
        foreach (Action<WatchedEvent> watcher in _watches.Trigger(type, path))
        {
            _events.Post(() => watcher(watchedEvent));
        }
    }

    /// <summary>
    /// Owns the session for the client's life: connect (or reconnect) to the next host, run the connection until it
    /// ends, fail what was outstanding, pause, and again — until the client closes or the ensemble expires the session.
    /// </summary>
    private async Task RunSessionAsync()
    {
        CancellationToken shutdown = _shutdown.Token;
        ZooKeeperState finalState = ZooKeeperState.Closed;
        long startedAt = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        bool everConnected = false;
        int hostIndex = 0;
        try
        {
            for (int attempt = 0; !_closeRequested; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(RandomReconnectDelay(), shutdown).ConfigureAwait(false);
                }

                ZooKeeperHost host = _hosts[hostIndex++ % _hosts.Length];
                TimeSpan attemptTimeout = PerHostTimeout();
                if (!everConnected)
                {
                    // The first connection has a deadline of its own; later ones retry until told the session expired.
                    TimeSpan left = _options.ConnectionTimeout - Stopwatch.GetElapsedTime(startedAt);
                    if (left <= TimeSpan.Zero)
                    {
                        FailFirstConnection(failures);
                        return;
                    }

                    attemptTimeout = left < attemptTimeout ? left : attemptTimeout;
                }

                ZooKeeperConnection connection;
                ConnectResponse response;
                try
                {
                    var request = new ConnectRequest(LastZxid, (int)_options.SessionTimeout.TotalMilliseconds, SessionId, _sessionPassword);
                    (connection, response) = await ZooKeeperConnection.OpenAsync(host, request, attemptTimeout, _options.MaxFrameSize, shutdown).ConfigureAwait(false);
                }
                catch (Exception e) when (!shutdown.IsCancellationRequested)
                {
                    LogConnectAttemptFailed(host, e.Message);
                    FailQueued(p => new ConnectionLossException(p.Path, $"Not connected: {host} failed ({e.Message}).", e));
                    if (!everConnected)
                    {
                        failures.Add($"{host}: {e.Message}");
                        if (Stopwatch.GetElapsedTime(startedAt) >= _options.ConnectionTimeout)
                        {
                            FailFirstConnection(failures);
                            return;
                        }
                    }

                    continue;
                }

                if (response.SessionExpired)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    LogSessionExpired(SessionId);
                    finalState = ZooKeeperState.Expired;
                    return;
                }

                everConnected = true;
                Exception reason = await RunConnectionAsync(connection, response, shutdown).ConfigureAwait(false);
                hostIndex = Array.IndexOf(_hosts, connection.Host) + 1;
                if (!_closeRequested)
                {
                    LogDisconnected(connection.Host, reason.Message);
                    SetState(ZooKeeperState.Disconnected);
                }
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception e)
        {
            LogSessionLoopFailed(e);
            _firstConnection.TrySetException(e);
        }
        finally
        {
            EndSession(finalState);
        }
    }

    /// <summary>Adopts the session the server granted and carries traffic over the connection until it ends.</summary>
    private async Task<Exception> RunConnectionAsync(ZooKeeperConnection connection, ConnectResponse response, CancellationToken shutdown)
    {
        Interlocked.Exchange(ref _sessionId, response.SessionId);
        Volatile.Write(ref _sessionPassword, response.Password);
        Volatile.Write(ref _sessionTimeoutMs, response.TimeoutMs);
        var timings = ConnectionTimings.ForSessionTimeout(TimeSpan.FromMilliseconds(response.TimeoutMs));
        IReadOnlyList<IJuteRequest> setWatches = BuildSetWatches();

        _connectedServer = connection.RemoteEndPoint;
        LogConnected(connection.Host, response.SessionId, response.TimeoutMs, setWatches.Count);
        SetState(ZooKeeperState.Connected);
        _firstConnection.TrySetResult();

        Exception reason = await connection.RunAsync(setWatches, this, timings, shutdown).ConfigureAwait(false);
        _connectedServer = null;
        await connection.DisposeAsync().ConfigureAwait(false);

        // Outstanding requests may or may not have been applied; the caller must find out (ZooKeeper's contract).
        connection.FailPending(p => _closeRequested
            ? new ObjectDisposedException(nameof(ZooKeeperClient), "The client was closed before the reply came.")
            : new ConnectionLossException(p.Path, $"Connection to {connection.Host} lost before the reply came: {reason.Message}", reason));
        FailQueued(p => new ConnectionLossException(p.Path, $"Connection to {connection.Host} lost before the request was sent.", reason));
        return reason;
    }

    /// <summary>The watches to re-register on a new server, in frames of bounded size (server paths, with the chroot).</summary>
    private List<SetWatchesRequest> BuildSetWatches()
    {
        (List<string> data, List<string> exist, List<string> child) = _watches.Snapshot();
        return SetWatchesRequest.Batch(LastZxid, [.. data.Select(ServerPath)], [.. exist.Select(ServerPath)], [.. child.Select(ServerPath)], SetWatchesBatchBytes);
    }

    /// <summary>
    /// The session is over (closed or expired): nothing more is sent, queued requests fail, and every watcher hears
    /// one last event with the final state so that no one waits forever.
    /// </summary>
    private void EndSession(ZooKeeperState finalState)
    {
        _connectedServer = null;
        _outgoing.Writer.TryComplete();
        FailQueued(p => finalState == ZooKeeperState.Expired
            ? new SessionExpiredException(p.Path)
            : new ObjectDisposedException(nameof(ZooKeeperClient), "The client was closed before the request was sent."));
        foreach ((_, Action<WatchedEvent> watcher) in _watches.TakeAll())
        {
            _events.Post(() => watcher(new WatchedEvent(WatchEventType.None, finalState, null)));
        }

        SetState(finalState);
        _firstConnection.TrySetException(finalState == ZooKeeperState.Expired
            ? new SessionExpiredException(null, $"Session 0x{SessionId:x} has expired.")
            : new ObjectDisposedException(nameof(ZooKeeperClient), "The client was closed before it connected."));
    }

    private void FailFirstConnection(List<string> failures) =>
        _firstConnection.TrySetException(new ConnectionLossException(null,
            $"Could not connect to ZooKeeper at {_connectString} within {_options.ConnectionTimeout.TotalMilliseconds:0} ms " +
            $"({failures.Count} attempts; last: {string.Join("; ", failures.TakeLast(_hosts.Length))})."));

    private void FailQueued(Func<Packet, Exception> exception)
    {
        while (_outgoing.Reader.TryRead(out Packet? packet))
        {
            packet.Fail(exception(packet));
        }
    }

    /// <summary>ZooKeeper's client allows each host a share of the session timeout for connect and handshake.</summary>
    private TimeSpan PerHostTimeout()
    {
        TimeSpan share = SessionTimeout / _hosts.Length;
        return share < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : share;
    }

    private TimeSpan RandomReconnectDelay() =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _options.ReconnectDelayMax.TotalMilliseconds);
}
