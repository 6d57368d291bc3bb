using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// One TCP connection to a peer broker: a writer loop that frames queued requests and flushes once per batch, and a
/// reader loop that matches response frames to waiting requests by correlation id. Any protocol or socket error
/// ends the session and fails every request still waiting; <see cref="BrokerConnection"/> then opens a new one.
/// </summary>
internal sealed partial class BrokerSession : IAsyncDisposable
{
    private readonly int _brokerId;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly InterBrokerOptions _options;
    private readonly Channel<PendingRequest> _outgoing = Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private Exception? _failure;
    private int _nextCorrelationId;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private BrokerSession(int brokerId, Socket socket, InterBrokerOptions options)
    {
        _brokerId = brokerId;
        _socket = socket;
        _options = options;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>The peer's ApiVersions answer; set by the handshake before the session is handed out.</summary>
    public ApiVersionRanges? Versions { get; private set; }

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Why the session ended (null while open).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Opens the socket, starts the loops and does the ApiVersions handshake, all within the connect timeout.</summary>
    public static async Task<BrokerSession> ConnectAsync(int brokerId, string host, int port, InterBrokerOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        BrokerSession? session = null;
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            session = new BrokerSession(brokerId, socket, options);
            session.Start();
            await session.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            return session;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw new BrokerConnectionException(brokerId, $"could not connect to {host}:{port} within {options.ConnectTimeout.TotalMilliseconds} ms");
        }
        catch (SocketException e)
        {
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw new BrokerConnectionException(brokerId, $"could not connect to {host}:{port}: {e.SocketErrorCode}", e);
        }
        catch
        {
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(BrokerSession? session, Socket socket)
    {
        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            socket.Dispose();
        }
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// ApiVersions at this build's highest version. A peer that does not know it answers UNSUPPORTED_VERSION with its
    /// own range for ApiVersions (KIP-511), and the request is repeated at the highest version both know.
    /// </summary>
    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "kafkasharp-broker", ClientSoftwareVersion = ThisAssemblyVersion };
        short version = ApiVersionsRequest.HighestVersion;
        for (int attempt = 0; ; attempt++)
        {
            (IApiMessage message, _) = await SendAsync(request, version, pooled: false, cancellationToken).ConfigureAwait(false);
            var response = (ApiVersionsResponse)message;
            if (response.ErrorCode == (short)ErrorCode.UnsupportedVersion && attempt == 0)
            {
                ApiVersionsResponse.ApiVersion? own = response.ApiKeys.Find(a => a.ApiKey == (short)ApiKey.ApiVersions);
                version = own is null ? (short)0 : Math.Min(own.MaxVersion, ApiVersionsRequest.HighestVersion);
                continue;
            }

            if (response.ErrorCode != 0)
            {
                throw new BrokerConnectionException(_brokerId, $"ApiVersions handshake failed with error {(ErrorCode)response.ErrorCode}");
            }

            Versions = new ApiVersionRanges(response.ApiKeys);
            return;
        }
    }

    private static readonly string ThisAssemblyVersion = typeof(BrokerSession).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>
    /// Queues the request and waits for its response (no timeout here; the caller bounds the wait). With
    /// <paramref name="pooled"/> the response is parsed over a rented copy of its frame, returned with it.
    /// </summary>
    public async Task<(IApiMessage Response, byte[]? Buffer)> SendAsync(IApiMessage request, short version, bool pooled, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(request, version, pooled, Interlocked.Increment(ref _nextCorrelationId));
        _pending[pending.CorrelationId] = pending;
        if (IsClosed || !_outgoing.Writer.TryWrite(pending))
        {
            _pending.TryRemove(pending.CorrelationId, out _);
            throw Closed();
        }

        try
        {
            return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The response may still come; the reader then finds the entry abandoned and drops it.
            pending.Abandon();
            throw;
        }
    }

    /// <summary>Ends the session once: the socket closes, loops stop, waiting requests fail with <paramref name="reason"/>.</summary>
    public void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is not null)
        {
            return;
        }

        _closed.Cancel();
        _outgoing.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or by us.
        }

        _socket.Dispose();
        foreach (int id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out PendingRequest? pending))
            {
                pending.TryFail(reason);
            }
        }

        while (_outgoing.Reader.TryRead(out PendingRequest? queued))
        {
            queued.TryFail(reason);
        }
    }

    private BrokerConnectionException Closed() =>
        Failure as BrokerConnectionException ?? new BrokerConnectionException(_brokerId, "the connection is closed", Failure);

    public async ValueTask DisposeAsync()
    {
        Fail(new BrokerConnectionException(_brokerId, "the connection was closed locally"));
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        await _output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _closed.Dispose();
    }
}
