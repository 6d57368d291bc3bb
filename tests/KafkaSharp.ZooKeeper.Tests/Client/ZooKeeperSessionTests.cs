using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>Session life: resuming with id and password, pings, and expiry with its effects.</summary>
[Collection(ZooKeeperServerCollection.Name)]
public sealed class ZooKeeperSessionTests(ZooKeeperServerFixture server) : IAsyncLifetime
{
    private readonly string _root = ZooKeeperServerFixture.UniquePath("session");
    private ZooKeeperClient _observer = null!;

    public async Task InitializeAsync()
    {
        _observer = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await _observer.CreateAsync(_root, ReadOnlyMemory<byte>.Empty);
    }

    public async Task DisposeAsync() => await _observer.DisposeAsync();

    [Fact]
    public async Task SessionExpiresWithItsEphemeralsAndWatchesWhenClosedByClientReusingIdAndPassword()
    {
        await using ZooKeeperClient victim = await ConnectAsync(TimeSpan.FromSeconds(4));
        using var states = new StateRecorder(victim);
        string ephemeral = await victim.CreateAsync($"{_root}/eph", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        Watched<ZNodeStat?> watch = await victim.ExistsAndWatchAsync($"{_root}/unrelated");

        await ExpireAsync(victim, states);

        Assert.Equal(ZooKeeperState.Expired, victim.State);
        Assert.Equal(new WatchedEvent(WatchEventType.None, ZooKeeperState.Expired, null), await watch.WatchEvent.WaitAsync(Waits.Short));
        Assert.Null(await _observer.ExistsAsync(ephemeral));
        await Assert.ThrowsAsync<SessionExpiredException>(() => victim.GetDataAsync(_root));
        Assert.Equal(ZooKeeperState.Disconnected, states.History[^2]);
    }

    [Fact]
    public async Task ConnectAsyncThrowsSessionExpiredWhenResumingExpiredSession()
    {
        ZooKeeperClient victim = await ConnectAsync(TimeSpan.FromSeconds(4));
        long id = victim.SessionId;
        byte[] password = victim.SessionPassword.ToArray();
        await victim.DisposeAsync(); // closes the session for good

        await Assert.ThrowsAsync<SessionExpiredException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = server.ConnectString,
            SessionId = id,
            SessionPassword = password,
        }).WaitAsync(Waits.Short));
    }

    [Fact]
    public async Task SecondClientTakesOverSessionAndEphemeralsWhenGivenIdAndPassword()
    {
        ZooKeeperClient first = await ConnectAsync(TimeSpan.FromSeconds(10));
        string ephemeral = await first.CreateAsync($"{_root}/kept", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        await using ZooKeeperClient second = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = server.ConnectString,
            SessionId = first.SessionId,
            SessionPassword = first.SessionPassword,
            SessionTimeout = TimeSpan.FromSeconds(10),
        }).WaitAsync(Waits.Short);

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal(first.SessionId, (await second.ExistsAsync(ephemeral))!.EphemeralOwner);

        // The server moved the session to the second connection and dropped the first; stop the first from
        // stealing it back, without closing the session.
        await first.DisposeAsync();
        Assert.NotNull(await second.ExistsAsync(ephemeral));
    }

    [Fact]
    public async Task PingsKeepSessionAliveWhenIdleForSeveralTimeouts()
    {
        // A 2 s session idle for 5 s: without pings the server would expire it, and the client's 1.3 s read
        // timeout would drop the connection.
        await using ZooKeeperClient idle = await ConnectAsync(TimeSpan.FromSeconds(2));
        using var states = new StateRecorder(idle);
        string ephemeral = await idle.CreateAsync($"{_root}/idle", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(2), idle.SessionTimeout);
        Assert.Equal(ZooKeeperState.Connected, idle.State);
        Assert.All(states.History, state => Assert.Equal(ZooKeeperState.Connected, state)); // at most the initial Connected
        Assert.NotNull(await _observer.ExistsAsync(ephemeral));
        Assert.Equal(idle.SessionId, (await idle.ExistsAsync(ephemeral))!.EphemeralOwner);
    }

    private Task<ZooKeeperClient> ConnectAsync(TimeSpan sessionTimeout) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = sessionTimeout }).WaitAsync(Waits.Short);

    /// <summary>
    /// Forces expiry the way ZooKeeper's own tests do: a second client resumes the session with its id and password
    /// (the server drops the first connection) and closes it. The first client, reconnecting, is told the session
    /// has expired. If the first client wins the race back first, try again.
    /// </summary>
    private async Task ExpireAsync(ZooKeeperClient victim, StateRecorder states)
    {
        var options = new ZooKeeperClientOptions
        {
            ConnectString = server.ConnectString,
            SessionId = victim.SessionId,
            SessionPassword = victim.SessionPassword,
            SessionTimeout = victim.SessionTimeout,
        };
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                ZooKeeperClient usurper = await ZooKeeperClient.ConnectAsync(options).WaitAsync(Waits.Short);
                await usurper.DisposeAsync();
            }
            catch (SessionExpiredException)
            {
                // Already closed by an earlier attempt.
            }

            try
            {
                await states.WaitForAsync(ZooKeeperState.Expired, TimeSpan.FromSeconds(5));
                return;
            }
            catch (TimeoutException)
            {
                // The victim got back in before the close; go again.
            }
        }

        throw new TimeoutException("The session did not expire.");
    }
}
