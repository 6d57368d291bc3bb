using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Network;

namespace KafkaSharp.Broker.Tests.Support;

/// <summary>
/// Serves a broker over real loopback TCP on a free port (what Kestrel does in the server), for clients that dial a
/// socket such as the inter-broker channel. Stopping closes the listener and waits for the accept loop.
/// </summary>
internal sealed class BrokerSocketListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly KafkaBroker _broker;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Socket, Task Serving)> _accepted = [];
    private readonly Task _acceptLoop;
    private int _connections;

    private BrokerSocketListener(KafkaBroker broker, int port)
    {
        _broker = broker;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Starts serving <paramref name="broker"/>; port 0 picks a free one.</summary>
    public static BrokerSocketListener Start(KafkaBroker broker, int port = 0) => new(broker, port);

    /// <summary>The broker as other brokers see it on this listener.</summary>
    public BrokerNode Node(int brokerId) => new(brokerId, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", Port, SecurityProtocol.Plaintext)]);

    public int AcceptedConnections => Volatile.Read(ref _connections);

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

            Interlocked.Increment(ref _connections);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var pipe = new StreamDuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
            var info = new ConnectionInfo($"tcp-{_connections}", "PLAINTEXT", SecurityProtocol.Plaintext, socket.RemoteEndPoint?.ToString() ?? "?");
            lock (_accepted)
            {
                _accepted.Add((socket, Task.Run(() => _broker.ServeAsync(pipe, info))));
            }
        }
    }

    /// <summary>Stops accepting and cuts every accepted connection (the broker itself keeps running).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.WaitAsync(TestClient.Timeout);
        (Socket Socket, Task Serving)[] accepted;
        lock (_accepted)
        {
            accepted = [.. _accepted];
        }

        foreach ((Socket socket, Task _) in accepted)
        {
            socket.Dispose();
        }

        await Task.WhenAll(accepted.Select(a => a.Serving)).WaitAsync(TestClient.Timeout);
        _stop.Dispose();
    }

    private sealed class StreamDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
