using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>
/// One-shot watches against a real ZooKeeper. To prove a watch fired exactly once without sleeping, each test ends
/// with a barrier: a second watch on the same client, fired by a later change. Events reach watchers in order, so
/// once the barrier has fired, any second delivery to the first watcher would already have happened.
/// </summary>
[Collection(ZooKeeperServerCollection.Name)]
public sealed class ZooKeeperWatchTests(ZooKeeperServerFixture server) : IAsyncLifetime
{
    private readonly string _root = ZooKeeperServerFixture.UniquePath("watch");
    private ZooKeeperClient _client = null!;
    private ZooKeeperClient _other = null!;

    public async Task InitializeAsync()
    {
        _client = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        _other = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await _client.CreateAsync(_root, ReadOnlyMemory<byte>.Empty);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task DataWatchFiresOnceWhenDataChangesTwice()
    {
        string path = $"{_root}/data";
        await _client.CreateAsync(path, "0"u8.ToArray());
        var watch = new WatchRecorder();
        await _client.GetDataAsync(path, watch.Watcher);

        await _other.SetDataAsync(path, "1"u8.ToArray());
        WatchedEvent fired = await watch.FirstAsync(Waits.Short);
        await _other.SetDataAsync(path, "2"u8.ToArray());
        await BarrierAsync(path);

        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, ZooKeeperState.Connected, path), fired);
        Assert.Single(watch.Events);
    }

    [Fact]
    public async Task DataWatchFiresNodeDeletedWhenNodeIsDeleted()
    {
        string path = $"{_root}/doomed";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        Watched<ZNodeData> read = await _client.GetDataAndWatchAsync(path);

        await _other.DeleteAsync(path);

        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, ZooKeeperState.Connected, path), await read.WatchEvent.WaitAsync(Waits.Short));
    }

    [Fact]
    public async Task ExistsWatchFiresNodeCreatedWhenMissingNodeIsCreatedLater()
    {
        string path = $"{_root}/later";
        Watched<ZNodeStat?> exists = await _client.ExistsAndWatchAsync(path);
        Assert.Null(exists.Value);
        Assert.False(exists.WatchEvent.IsCompleted);

        await _other.CreateAsync(path, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, ZooKeeperState.Connected, path), await exists.WatchEvent.WaitAsync(Waits.Short));
    }

    [Fact]
    public async Task ExistsWatchFiresNodeDataChangedWhenPresentNodeChanges()
    {
        string path = $"{_root}/present";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        Watched<ZNodeStat?> exists = await _client.ExistsAndWatchAsync(path);
        Assert.NotNull(exists.Value);

        await _other.SetDataAsync(path, "x"u8.ToArray());

        Assert.Equal(WatchEventType.NodeDataChanged, (await exists.WatchEvent.WaitAsync(Waits.Short)).Type);
    }

    [Fact]
    public async Task ChildWatchFiresOnceWhenChildrenAreAddedTwice()
    {
        string path = $"{_root}/parent";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        var watch = new WatchRecorder();
        IReadOnlyList<string> before = await _client.GetChildrenAsync(path, watch.Watcher);

        await _other.CreateAsync($"{path}/a", ReadOnlyMemory<byte>.Empty);
        WatchedEvent fired = await watch.FirstAsync(Waits.Short);
        await _other.CreateAsync($"{path}/b", ReadOnlyMemory<byte>.Empty);
        await BarrierAsync($"{path}/a");

        Assert.Empty(before);
        Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, ZooKeeperState.Connected, path), fired);
        Assert.Single(watch.Events);
    }

    [Fact]
    public async Task ChildWatchFiresNodeDeletedWhenWatchedNodeIsDeleted()
    {
        string path = $"{_root}/lonely";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        Watched<IReadOnlyList<string>> children = await _client.GetChildrenAndWatchAsync(path);

        await _other.DeleteAsync(path);

        Assert.Equal(WatchEventType.NodeDeleted, (await children.WatchEvent.WaitAsync(Waits.Short)).Type);
    }

    [Fact]
    public async Task ChildWatchIgnoresDataChangeWhenOnlyParentDataChanges()
    {
        string path = $"{_root}/quiet";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        var watch = new WatchRecorder();
        await _client.GetChildrenWithStatAsync(path, watch.Watcher);

        await _other.SetDataAsync(path, "x"u8.ToArray());
        await BarrierAsync(path);

        Assert.Empty(watch.Events);
    }

    [Fact]
    public async Task WatcherFiresOnceWhenRegisteredTwiceOnSamePath()
    {
        string path = $"{_root}/twice";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        var watch = new WatchRecorder();
        await _client.GetDataAsync(path, watch.Watcher);
        await _client.ExistsAsync(path, watch.Watcher);

        await _other.SetDataAsync(path, "x"u8.ToArray());
        await watch.FirstAsync(Waits.Short);
        await BarrierAsync(path);

        Assert.Single(watch.Events);
    }

    [Fact]
    public async Task DistinctWatchersEachFireWhenOnSamePath()
    {
        string path = $"{_root}/shared";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        Watched<ZNodeData> first = await _client.GetDataAndWatchAsync(path);
        Watched<ZNodeStat?> second = await _client.ExistsAndWatchAsync(path);

        await _other.DeleteAsync(path);

        Assert.Equal(WatchEventType.NodeDeleted, (await first.WatchEvent.WaitAsync(Waits.Short)).Type);
        Assert.Equal(WatchEventType.NodeDeleted, (await second.WatchEvent.WaitAsync(Waits.Short)).Type);
    }

    [Fact]
    public async Task WatchFiresWhenOwnClientMakesTheChange()
    {
        string path = $"{_root}/self";
        await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        Watched<ZNodeData> read = await _client.GetDataAndWatchAsync(path);

        await _client.SetDataAsync(path, "x"u8.ToArray());

        Assert.Equal(WatchEventType.NodeDataChanged, (await read.WatchEvent.WaitAsync(Waits.Short)).Type);
    }

    [Fact]
    public async Task WatchIsNotLeftWhenReadFailsWithNoNode()
    {
        string path = $"{_root}/never";
        var watch = new WatchRecorder();
        await Assert.ThrowsAsync<NoNodeException>(() => _client.GetDataAsync(path, watch.Watcher));

        await _other.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        await BarrierAsync(path);

        Assert.Empty(watch.Events);
    }

    [Fact]
    public async Task PendingWatchCompletesWithClosedEventWhenClientIsDisposed()
    {
        ZooKeeperClient closing = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        Watched<ZNodeStat?> exists = await closing.ExistsAndWatchAsync($"{_root}/whatever");

        await closing.DisposeAsync();

        Assert.Equal(new WatchedEvent(WatchEventType.None, ZooKeeperState.Closed, null), await exists.WatchEvent.WaitAsync(Waits.Short));
    }

    /// <summary>Sets a fresh watch on <paramref name="path"/>, changes the node, and waits for that watch.</summary>
    private async Task BarrierAsync(string path)
    {
        Watched<ZNodeData> barrier = await _client.GetDataAndWatchAsync(path);
        await _other.SetDataAsync(path, "barrier"u8.ToArray());
        await barrier.WatchEvent.WaitAsync(Waits.Short);
    }
}
