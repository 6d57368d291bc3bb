using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>A chroot in the connect string (<c>host:port/kafka</c>): every path is relative to it, both ways.</summary>
[Collection(ZooKeeperServerCollection.Name)]
public sealed class ZooKeeperChrootTests(ZooKeeperServerFixture server) : IAsyncLifetime
{
    private readonly string _chroot = ZooKeeperServerFixture.UniquePath("chroot");
    private ZooKeeperClient _root = null!;
    private ZooKeeperClient _chrooted = null!;

    public async Task InitializeAsync()
    {
        _root = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await _root.CreateAsync(_chroot, ReadOnlyMemory<byte>.Empty);
        _chrooted = await ZooKeeperClient.ConnectAsync(server.ConnectString + _chroot).WaitAsync(Waits.Short);
    }

    public async Task DisposeAsync()
    {
        await _chrooted.DisposeAsync();
        await _root.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsyncPlacesNodeUnderChrootAndReturnsRelativePathWhenChrooted()
    {
        string created = await _chrooted.CreateAsync("/brokers", "b"u8.ToArray());

        Assert.Equal("/brokers", created);
        Assert.Equal("/" + _chroot.TrimStart('/'), _chrooted.Chroot);
        Assert.Equal("b"u8.ToArray(), (await _root.GetDataAsync($"{_chroot}/brokers")).Data);
    }

    [Fact]
    public async Task GetChildrenAsyncListsChrootChildrenWhenPathIsRoot()
    {
        await _root.CreateAsync($"{_chroot}/x", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(["x"], await _chrooted.GetChildrenAsync("/"));
    }

    [Fact]
    public async Task SequentialCreateReturnsRelativePathWhenChrooted()
    {
        await _chrooted.CreateAsync("/ids", ReadOnlyMemory<byte>.Empty);

        string created = await _chrooted.CreateAsync("/ids/id-", ReadOnlyMemory<byte>.Empty, CreateMode.EphemeralSequential);

        Assert.Equal("/ids/id-0000000000", created);
    }

    [Fact]
    public async Task WatchEventCarriesRelativePathWhenChrooted()
    {
        await _chrooted.CreateAsync("/topic", ReadOnlyMemory<byte>.Empty);
        Watched<ZNodeData> read = await _chrooted.GetDataAndWatchAsync("/topic");

        await _root.SetDataAsync($"{_chroot}/topic", "x"u8.ToArray());

        Assert.Equal("/topic", (await read.WatchEvent.WaitAsync(Waits.Short)).Path);
    }

    [Fact]
    public async Task ChildWatchOnRootFiresWithSlashPathWhenChrooted()
    {
        Watched<IReadOnlyList<string>> children = await _chrooted.GetChildrenAndWatchAsync("/");

        await _root.CreateAsync($"{_chroot}/new", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, ZooKeeperState.Connected, "/"), await children.WatchEvent.WaitAsync(Waits.Short));
    }

    [Fact]
    public async Task MultiAsyncUsesRelativePathsWhenChrooted()
    {
        IReadOnlyList<ZooKeeperOpResult> results = await _chrooted.MultiAsync(
        [
            ZooKeeperOp.Create("/a", ReadOnlyMemory<byte>.Empty),
            ZooKeeperOp.Create("/a/b-", ReadOnlyMemory<byte>.Empty, CreateMode.PersistentSequential),
        ]);

        Assert.Equal("/a/b-0000000000", Assert.IsType<ZooKeeperOpResult.Create>(results[1]).Path);
        Assert.NotNull(await _root.ExistsAsync($"{_chroot}/a/b-0000000000"));
    }

    [Fact]
    public async Task ExistsAsyncReturnsNullWhenNodeIsOutsideChroot()
    {
        await _root.CreateAsync($"{_chroot}-outside", ReadOnlyMemory<byte>.Empty);

        Assert.Null(await _chrooted.ExistsAsync($"{_chroot}-outside"));
    }
}
