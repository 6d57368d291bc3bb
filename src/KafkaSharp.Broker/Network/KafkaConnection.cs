using System.IO.Pipelines;
using System.Threading.Channels;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Network;

/// <summary>
/// One client connection over any <see cref="IDuplexPipe"/> (a Kestrel socket, or an in-memory pipe in tests).
/// A reader loop frames, parses and dispatches requests; handlers run concurrently; a writer loop sends the
/// responses strictly in request order, flushing once per batch of ready responses. A slow request holds back only
/// the later responses of its own connection (Kafka's per-connection ordering), never another connection.
/// </summary>
/// <remarks>
/// Closing: a protocol error, a failed handler or a failed transport aborts at once (in-flight results are
/// dropped, like Kafka closing the channel). Broker shutdown and a client's EOF stop the reader only: responses
/// already owed are still written before the pipe is completed.
/// </remarks>
public sealed partial class KafkaConnection : IDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly RequestHandlerRegistry _handlers;
    private readonly ConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConnectionSession _session;
    private readonly Channel<PendingResponse> _responses;
    private readonly CancellationTokenSource _aborted = new();
    private readonly ResponseHeader _responseHeader = new();
    private int _inFlight;
    private long _lastActivity;
    private volatile bool _idleExpired;

    public KafkaConnection(
        IDuplexPipe transport,
        ConnectionInfo info,
        RequestHandlerRegistry handlers,
        ConnectionOptions options,
        ILogger logger,
        TimeProvider? time = null)
    {
        _transport = transport;
        _handlers = handlers;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _session = new ConnectionSession(info);
        _responses = Channel.CreateBounded<PendingResponse>(new BoundedChannelOptions(Math.Max(1, options.MaxInFlightRequests))
        {
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public ConnectionInfo Info => _session.Connection;

    /// <summary>
    /// Serves the connection until the client leaves, a protocol error closes it, it idles out, or
    /// <paramref name="stopping"/> fires (then the reader stops and owed responses are written). Never throws for
    /// anything the client does.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping = default)
    {
        Touch();
        Task writer = WriteLoopAsync();
        using ITimer idleTimer = StartIdleTimer();
        using CancellationTokenRegistration onStop = stopping.UnsafeRegister(static s => ((PipeReader)s!).CancelPendingRead(), _transport.Input);
        using CancellationTokenRegistration onAbort = _aborted.Token.UnsafeRegister(static s => ((PipeReader)s!).CancelPendingRead(), _transport.Input);
        try
        {
            await ReadLoopAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            ConnectionLog.TransportFailed(_logger, e, Info.ConnectionId, Info.Peer);
            Abort();
        }
        finally
        {
            _responses.Writer.TryComplete();
        }

        await writer.ConfigureAwait(false);
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    public void Dispose() => _aborted.Dispose();

    /// <summary>Closes at once: the reader stops, handlers see cancellation, owed responses are dropped.</summary>
    private void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    /// <summary>
    /// connections.max.idle.ms: checked a few times per period; a connection is idle when nothing was read or
    /// written for the whole period and no request is in flight (a long-poll fetch is not idleness).
    /// </summary>
    private ITimer StartIdleTimer()
    {
        if (_options.IdleTimeout <= TimeSpan.Zero)
        {
            // A negative connections.max.idle.ms turns idle expiry off, as in Kafka's Selector.
            return _time.CreateTimer(static _ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        TimeSpan period = _options.IdleTimeout / 4;
        if (period < TimeSpan.FromMilliseconds(5))
        {
            period = TimeSpan.FromMilliseconds(5);
        }

        return _time.CreateTimer(static state => ((KafkaConnection)state!).CheckIdle(), this, period, period);
    }

    private void CheckIdle()
    {
        if (Volatile.Read(ref _inFlight) == 0
            && _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= _options.IdleTimeout)
        {
            _idleExpired = true;
            _transport.Input.CancelPendingRead();
        }
    }
}
