using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>Dead, hung and unreachable servers: what the client reports, and how it recovers.</summary>
[Collection(ZooKeeperServerCollection.Name)]
public sealed class ZooKeeperConnectionLossTests(ZooKeeperServerFixture server)
{
    [Fact]
    public async Task OutstandingRequestsFailWithConnectionLossWhenServerDies()
    {
        // A server of its own: this test kills it.
        await using ZooKeeperServerProcess doomed = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using ZooKeeperClient client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = doomed.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(10),
        }).WaitAsync(Waits.Short);
        using var states = new StateRecorder(client);
        await client.CreateAsync("/x", "x"u8.ToArray());

        // Frozen, the server takes the requests off the socket buffer but never answers: they stay outstanding.
        await doomed.PauseAsync();
        Task[] outstanding =
        [
            client.GetDataAsync("/x"),
            client.ExistsAsync("/x"),
            client.SetDataAsync("/x", "y"u8.ToArray()),
            client.CreateAsync("/y", ReadOnlyMemory<byte>.Empty),
        ];
        await Task.Delay(200);
        Assert.All(outstanding, t => Assert.False(t.IsCompleted));
        var clock = Stopwatch.StartNew();
        await doomed.KillAsync();

        foreach (Task request in outstanding)
        {
            ConnectionLossException e = await Assert.ThrowsAsync<ConnectionLossException>(() => request.WaitAsync(Waits.Short));
            Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, e.Code);
        }

        // Noticed from the closed socket, well before the 6.7 s read timeout could have fired.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        await states.WaitForAsync(ZooKeeperState.Disconnected, Waits.Short);

        // Nothing to reconnect to: new requests fail the same way rather than hang.
        await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/x").WaitAsync(Waits.Short));
    }

    [Fact]
    public async Task ReadTimeoutMovesSessionToNextHostWithItsWatchesWhenServerGoesSilent()
    {
        string root = ZooKeeperServerFixture.UniquePath("silent");
        await using ZooKeeperClient observer = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await observer.CreateAsync(root, ReadOnlyMemory<byte>.Empty);
        await observer.CreateAsync($"{root}/during", ReadOnlyMemory<byte>.Empty);
        await observer.CreateAsync($"{root}/after", ReadOnlyMemory<byte>.Empty);

        // First host: a proxy that will swallow everything. Second host: the server itself. The chroot makes the
        // re-registered watches go out as server paths and come back as client paths.
        await using var proxy = new BlackholeProxy(server.Server.ClientPort);
        await using ZooKeeperClient client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = $"{proxy.ConnectString},{server.ConnectString}{root}",
            ShuffleHosts = false,
            SessionTimeout = TimeSpan.FromSeconds(6), // read timeout 4 s; the server keeps the session 2 s longer
            ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        }).WaitAsync(Waits.Short);
        using var states = new StateRecorder(client);
        Assert.Equal(proxy.Port, ((IPEndPoint)client.ConnectedServer!).Port);
        long sessionId = client.SessionId;
        await client.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        Watched<ZNodeData> during = await client.GetDataAndWatchAsync("/during");
        Watched<ZNodeData> after = await client.GetDataAndWatchAsync("/after");

        proxy.Blackhole();
        Task<ZNodeData> hung = client.GetDataAsync("/during");
        // Changed while the client hears nothing: the notification is lost in the proxy, so only SetWatches on the
        // next server (comparing the node's zxid with the last one the client saw) can deliver it.
        await observer.SetDataAsync($"{root}/during", "changed"u8.ToArray());

        await Assert.ThrowsAsync<ConnectionLossException>(() => hung.WaitAsync(Waits.Short));
        await states.WaitForAsync(ZooKeeperState.Disconnected, Waits.Short);
        await Eventually.TrueAsync(() => client.State == ZooKeeperState.Connected, Waits.Short, "reconnected");

        Assert.Equal(server.Server.ClientPort, ((IPEndPoint)client.ConnectedServer!).Port);
        Assert.Equal(sessionId, client.SessionId);
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, ZooKeeperState.Connected, "/during"), await during.WatchEvent.WaitAsync(Waits.Short));
        Assert.False(after.WatchEvent.IsCompleted);
        await observer.SetDataAsync($"{root}/after", "changed"u8.ToArray());
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, ZooKeeperState.Connected, "/after"), await after.WatchEvent.WaitAsync(Waits.Short));
        Assert.Equal(sessionId, (await observer.ExistsAsync($"{root}/eph"))!.EphemeralOwner);
    }

    [Fact]
    public async Task ConnectAsyncThrowsConnectionLossNamingEveryHostWhenNoServerAnswers()
    {
        // One port with nothing listening (refused at once) and one that accepts but never answers the handshake.
        int closedPort = FreePorts.Take(1)[0];
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        ConnectionLossException e = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = $"127.0.0.1:{closedPort},127.0.0.1:{silentPort}",
            SessionTimeout = TimeSpan.FromSeconds(2),
            ConnectionTimeout = TimeSpan.FromSeconds(3),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(100),
        }).WaitAsync(Waits.Short));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.Contains($"127.0.0.1:{closedPort}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{silentPort}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsyncFailsOutstandingRequestsWithObjectDisposedWhenServerIsSilent()
    {
        await using var proxy = new BlackholeProxy(server.Server.ClientPort);
        ZooKeeperClient client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = proxy.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(3), // read timeout 2 s
        }).WaitAsync(Waits.Short);
        proxy.Blackhole();
        Task<ZNodeStat?> outstanding = client.ExistsAsync("/");
        var clock = Stopwatch.StartNew();

        await client.DisposeAsync().AsTask().WaitAsync(Waits.Short);

        // The close request goes unanswered too; disposal gives up on it when the read timeout ends the connection.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => outstanding.WaitAsync(Waits.Short));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Equal(ZooKeeperState.Closed, client.State);
    }

    [Fact]
    public async Task ConnectAsyncStopsWhenCancelled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ZooKeeperClient.ConnectAsync(
            $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", cancel.Token).WaitAsync(Waits.Short));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
