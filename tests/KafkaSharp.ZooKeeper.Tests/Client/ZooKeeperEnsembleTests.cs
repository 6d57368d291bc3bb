using System.Net;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>A real three-server ensemble: the session, its ephemerals and its watches outlive the server it was on.</summary>
public sealed class ZooKeeperEnsembleTests : IAsyncLifetime
{
    private ZooKeeperEnsemble _ensemble = null!;

    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync(3);

    public async Task DisposeAsync() => await _ensemble.DisposeAsync();

    [Theory]
    [InlineData("leader")]
    [InlineData("follower")]
    public async Task SessionEphemeralsAndWatchesSurviveWhenConnectedServerIsKilled(string role)
    {
        // The client goes to the chosen server first. Killing the leader adds an election to the failover.
        ZooKeeperServerProcess first = await ServerInRoleAsync(role);
        await using ZooKeeperClient client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = string.Join(',', _ensemble.Servers.OrderBy(s => s == first ? 0 : 1).Select(s => s.ConnectString)),
            ShuffleHosts = false,
            SessionTimeout = TimeSpan.FromSeconds(10), // the most these servers grant (20 ticks)
            ConnectionTimeout = Waits.Long,
        }).WaitAsync(Waits.Long);
        using var states = new StateRecorder(client);
        long sessionId = client.SessionId;
        string ephemeral = await client.CreateAsync("/eph", "alive"u8.ToArray(), CreateMode.Ephemeral);
        await client.CreateAsync("/watched", "before"u8.ToArray());
        var dataWatch = new WatchRecorder();
        await client.GetDataAsync("/watched", dataWatch.Watcher);
        Watched<ZNodeStat?> existsWatch = await client.ExistsAndWatchAsync("/later");
        Watched<IReadOnlyList<string>> childWatch = await client.GetChildrenAndWatchAsync("/watched");

        ZooKeeperServerProcess victim = _ensemble.ServerAt(client.ConnectedServer!);
        Assert.Same(first, victim);
        await victim.KillAsync();

        await states.WaitForAsync(ZooKeeperState.Disconnected, Waits.Short);
        await Eventually.TrueAsync(() => client.State == ZooKeeperState.Connected, Waits.Long, "reconnected to a surviving server");
        Assert.Equal(sessionId, client.SessionId);
        Assert.NotEqual(victim.ClientPort, ((IPEndPoint)client.ConnectedServer!).Port);

        string survivors = string.Join(',', _ensemble.Servers.Where(s => s != victim).Select(s => s.ConnectString));
        await using ZooKeeperClient other = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = survivors,
            ConnectionTimeout = Waits.Long,
        }).WaitAsync(Waits.Long);
        await other.SyncAsync("/eph");
        Assert.Equal(sessionId, (await other.ExistsAsync(ephemeral))!.EphemeralOwner);

        await other.SetDataAsync("/watched", "after"u8.ToArray());
        await other.CreateAsync("/later", ReadOnlyMemory<byte>.Empty);
        await other.CreateAsync("/watched/child", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, ZooKeeperState.Connected, "/watched"), await dataWatch.FirstAsync(Waits.Short));
        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, ZooKeeperState.Connected, "/later"), await existsWatch.WatchEvent.WaitAsync(Waits.Short));
        Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, ZooKeeperState.Connected, "/watched"), await childWatch.WatchEvent.WaitAsync(Waits.Short));
        Assert.Single(dataWatch.Events);

        // The session carries on normally on its new server.
        await client.SyncAsync("/watched");
        Assert.Equal("after"u8.ToArray(), (await client.GetDataAsync("/watched")).Data);
        await client.DeleteAsync(ephemeral);
    }

    private async Task<ZooKeeperServerProcess> ServerInRoleAsync(string role)
    {
        foreach (ZooKeeperServerProcess server in _ensemble.Servers)
        {
            if (await server.ModeAsync() == role)
            {
                return server;
            }
        }

        throw new InvalidOperationException($"No {role} in the ensemble.");
    }
}
