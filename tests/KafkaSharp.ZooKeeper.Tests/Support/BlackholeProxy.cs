using System.Net;
using System.Net.Sockets;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of a server that can be told to go silent: after <see cref="Blackhole"/>, bytes
/// in both directions are read and dropped while the sockets stay open, so the client sees a server that neither
/// closes nor answers (what a hung or partitioned server looks like), and only a read timeout can tell.
/// <see cref="Restore"/> ends the partition: connections opened since are forwarded again.
/// </summary>
public sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private readonly List<Socket> _open = [];
    private volatile bool _blackholed;

    public BlackholeProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public string ConnectString => $"127.0.0.1:{Port}";

    /// <summary>From now on nothing gets through, on existing and new connections alike.</summary>
    public void Blackhole() => _blackholed = true;

    /// <summary>
    /// Lets new connections through again. The ones that lived through the partition are closed: bytes were dropped
    /// on them, so forwarding again would hand either side half a message.
    /// </summary>
    public void Restore()
    {
        lock (_lock)
        {
            // Closed before the flag clears, so no pump of theirs can forward anything again.
            foreach (Socket socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
            _blackholed = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] pumps;
        lock (_lock)
        {
            pumps = [.. _pumps, _acceptLoop];
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                lock (_lock)
                {
                    _open.Add(client);
                    _open.Add(server);
                    _pumps.Add(PumpPairAsync(client, server));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpPairAsync(Socket client, Socket server)
    {
        using (client)
        using (server)
        {
            Task up = PumpAsync(client, server);
            Task down = PumpAsync(server, client);
            await Task.WhenAny(up, down);
            client.Dispose();
            server.Dispose();
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                if (!_blackholed)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away or the proxy stopped.
        }
    }
}
