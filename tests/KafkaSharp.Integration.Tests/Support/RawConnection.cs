using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// A bare TCP connection to the server that writes whatever bytes a test wants (well-formed frames built from the
/// generated messages, or garbage) and reads response frames. Every read is bounded.
/// </summary>
public sealed class RawConnection : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private int _nextCorrelationId = 1;

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        return new RawConnection(socket);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes).AsTask().WaitAsync(Timeout);

    public async Task<TResponse> RequestAsync<TResponse>(IApiMessage request, short version, TimeSpan? timeout = null)
        where TResponse : IApiMessage
    {
        int correlationId = _nextCorrelationId++;
        await SendAsync(Frame(request, version, correlationId));
        byte[] frame = await ReadFrameAsync(timeout ?? Timeout) ?? throw new IOException("The server closed the connection.");
        var reader = new KafkaReader(new ReadOnlyMemory<byte>(frame));
        var header = new ResponseHeader();
        header.Read(ref reader, ApiMessageTable.ResponseHeaderVersion(request.ApiKey, version));
        if (header.CorrelationId != correlationId)
        {
            throw new InvalidDataException($"Correlation id {header.CorrelationId}, expected {correlationId}.");
        }

        var response = (TResponse)ApiMessageTable.CreateResponse(request.ApiKey);
        response.Read(ref reader, version);
        return response;
    }

    /// <summary>The next frame after its size prefix, or null when the server closed the connection cleanly.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeout);
        byte[] prefix = new byte[4];
        if (!await ReadExactlyAsync(prefix, deadline.Token))
        {
            return null;
        }

        byte[] frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        return await ReadExactlyAsync(frame, deadline.Token) ? frame : throw new IOException("The server closed the connection inside a frame.");
    }

    /// <summary>True when the server closes (or resets) the connection within the timeout without sending more.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan? timeout = null)
    {
        try
        {
            return await ReadFrameAsync(timeout) is null;
        }
        catch (IOException)
        {
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Half-closes: the server sees end of stream while this side can still read.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Drops the connection with a TCP reset instead of a clean close.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>
    /// A frame with a v1 request header (int16 key, int16 version, int32 correlation id, nullable string client
    /// id) and any body: for keys and versions the generated messages cannot write.
    /// </summary>
    public static byte[] FrameWithHeader(ApiKey apiKey, short version, int correlationId, byte[] body)
    {
        byte[] clientId = "raw-test"u8.ToArray();
        byte[] frame = new byte[4 + 2 + 2 + 4 + 2 + clientId.Length + body.Length];
        Span<byte> span = frame;
        BinaryPrimitives.WriteInt32BigEndian(span, frame.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)apiKey);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], version);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], correlationId);
        BinaryPrimitives.WriteInt16BigEndian(span[12..], (short)clientId.Length);
        clientId.CopyTo(span[14..]);
        body.CopyTo(span[(14 + clientId.Length)..]);
        return frame;
    }

    public void Dispose() => _socket.Dispose();

    public static byte[] Frame(IApiMessage request, short version, int correlationId, string? clientId = "raw-test")
    {
        var buffer = new ArrayBufferWriter<byte>();
        var header = new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
        };
        short headerVersion = ApiMessageTable.RequestHeaderVersion(request.ApiKey, version);
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(header.Size(headerVersion) + request.Size(version));
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancel)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer.AsMemory(read), cancel);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No response from the server in time.");
            }

            if (n == 0)
            {
                return read == 0 ? false : throw new IOException("The server closed the connection inside a frame.");
            }

            read += n;
        }

        return true;
    }
}
