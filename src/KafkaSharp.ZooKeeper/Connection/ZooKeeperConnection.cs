using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;

namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>
/// One TCP connection to one ensemble member: the handshake that opens or resumes the session, then a writer loop
/// (requests and pings) and a reader loop (replies in xid order, pings, notifications) over pipes. When either loop
/// ends the connection is finished; the session then fails the requests still awaiting replies and moves on.
/// </summary>
internal sealed partial class ZooKeeperConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly int _maxFrameSize;

    // Requests written and not yet answered, in the order written: replies come back in the same order.
    private readonly ConcurrentQueue<Packet> _pending = new();

    // Scratch for one frame's header and body, so the length prefix can go first (the pipe cannot be back-filled).
    private readonly ArrayBufferWriter<byte> _frame = new(256);

    private ZooKeeperConnection(Socket socket, ZooKeeperHost host, int maxFrameSize)
    {
        _socket = socket;
        Host = host;
        RemoteEndPoint = socket.RemoteEndPoint!;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _maxFrameSize = maxFrameSize;
    }

    public ZooKeeperHost Host { get; }

    public EndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Connects to a host and exchanges ConnectRequest/ConnectResponse, all within <paramref name="timeout"/>.
    /// A server that is not serving (e.g. in leader election) or that refuses the session closes the socket, which
    /// surfaces here as an exception: the caller tries the next host.
    /// </summary>
    public static async Task<(ZooKeeperConnection Connection, ConnectResponse Response)> OpenAsync(
        ZooKeeperHost host, ConnectRequest request, TimeSpan timeout, int maxFrameSize, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ZooKeeperConnection? connection = null;
        try
        {
            EndPoint endPoint = IPAddress.TryParse(host.Host, out IPAddress? address)
                ? new IPEndPoint(address, host.Port)
                : new DnsEndPoint(host.Host, host.Port);
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            connection = new ZooKeeperConnection(socket, host, maxFrameSize);
            ConnectResponse response = await connection.HandshakeAsync(request, deadline.Token).ConfigureAwait(false);
            return (connection, response);
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{host} did not complete the ZooKeeper handshake within {timeout.TotalMilliseconds:0} ms.", e);
            }

            throw;
        }
    }

    /// <summary>
    /// Runs the reader and writer loops until one ends, then stops the other. Returns why the connection ended;
    /// never throws. <paramref name="setWatches"/> go out first, before any queued request.
    /// </summary>
    public async Task<Exception> RunAsync(IReadOnlyList<IJuteRequest> setWatches, IConnectionOwner owner, ConnectionTimings timings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reading = ReadLoopAsync(owner, timings.ReadTimeout, stop.Token);
        Task writing = WriteLoopAsync(setWatches, owner, timings.PingInterval, stop.Token);
        Task first = await Task.WhenAny(reading, writing).ConfigureAwait(false);
        Exception reason = first.Exception?.GetBaseException()
            ?? (first.IsCanceled ? new OperationCanceledException("The connection was stopped.") : new EndOfStreamException("The connection's writer stopped."));
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(reading, writing).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Both loops end with an exception once stopped; the first one's reason is what matters.
        }

        return reason;
    }

    /// <summary>Fails every request still awaiting a reply. Call only after <see cref="RunAsync"/> returned.</summary>
    public void FailPending(Func<Packet, Exception> exception)
    {
        while (_pending.TryDequeue(out Packet? packet))
        {
            packet.Fail(exception(packet));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Completing flushes what is left, to a peer that may be gone already; nothing left matters now.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task<ConnectResponse> HandshakeAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        RequestFrame.WriteConnect(_frame, _output, request);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                if (TryReadFrame(ref buffer, _maxFrameSize, out ReadOnlySequence<byte> frame))
                {
                    var reader = new JuteReader(frame);
                    return ConnectResponse.Read(ref reader);
                }

                if (result.IsCompleted)
                {
                    throw new EndOfStreamException($"{Host} closed the connection during the handshake (not serving, or refusing the session).");
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>
    /// Cuts one length-prefixed frame off the front of <paramref name="buffer"/>, if it is all there.
    /// <code>
    ///   +---------+-------------------+
    ///   | len:int | len bytes of body |
    ///   +---------+-------------------+
    /// </code>
    /// </summary>
    internal static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int length))
        {
            return false;
        }

        if (length < 0 || length > maxFrameSize)
        {
            throw new JuteException($"Frame length {length} is outside 0..{maxFrameSize}; the stream is corrupt.");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        frame = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        return true;
    }
}
