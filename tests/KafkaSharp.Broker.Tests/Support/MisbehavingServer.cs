using System.Net;
using System.Net.Sockets;

namespace KafkaSharp.Broker.Tests.Support;

/// <summary>
/// A TCP server on a free loopback port that runs a script per accepted connection — close at once, stall, send
/// garbage — to test how a client copes with a broken peer. Disposal closes everything it accepted.
/// </summary>
internal sealed class MisbehavingServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<Socket, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _scripts = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public MisbehavingServer(Func<Socket, CancellationToken, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Reads one request frame (size prefix, then that many bytes); null at end of stream.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] size = new byte[4];
        if (!await ReadExactlyAsync(socket, size, cancellationToken))
        {
            return null;
        }

        byte[] frame = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactlyAsync(socket, frame, cancellationToken) ? frame : null;
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_sockets)
            {
                _sockets.Add(socket);
                _scripts.Add(RunScriptAsync(socket));
            }
        }
    }

    private async Task RunScriptAsync(Socket socket)
    {
        try
        {
            await _script(socket, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.WaitAsync(TestClient.Timeout);
        Task[] scripts;
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }

            scripts = [.. _scripts];
        }

        await Task.WhenAll(scripts).WaitAsync(TestClient.Timeout);
        _stop.Dispose();
    }
}
