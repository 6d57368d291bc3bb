using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>Every operation against a real standalone ZooKeeper.</summary>
[Collection(ZooKeeperServerCollection.Name)]
public sealed class ZooKeeperClientTests(ZooKeeperServerFixture server) : IAsyncLifetime
{
    private readonly string _root = ZooKeeperServerFixture.UniquePath("ops");
    private ZooKeeperClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await _client.CreateAsync(_root, ReadOnlyMemory<byte>.Empty);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public void ConnectAsyncEstablishesSessionWhenServerIsUp()
    {
        Assert.Equal(ZooKeeperState.Connected, _client.State);
        Assert.NotEqual(0, _client.SessionId);
        Assert.Equal(16, _client.SessionPassword.Length);
        Assert.NotNull(_client.ConnectedServer);
    }

    [Fact]
    public async Task GetDataAsyncReturnsDataAndStatWhenNodeWasCreated()
    {
        string path = await _client.CreateAsync($"{_root}/node", "hello"u8.ToArray());

        ZNodeData node = await _client.GetDataAsync(path);

        Assert.Equal($"{_root}/node", path);
        Assert.Equal("hello"u8.ToArray(), node.Data);
        Assert.Equal(0, node.Stat.Version);
        Assert.Equal(5, node.Stat.DataLength);
        Assert.Equal(0, node.Stat.EphemeralOwner);
        Assert.Equal(node.Stat.Czxid, node.Stat.Mzxid);
        Assert.True(node.Stat.Ctime > 0);
    }

    [Fact]
    public async Task GetDataAsyncReturnsEmptyDataWhenNodeHasNone()
    {
        await _client.CreateAsync($"{_root}/empty", ReadOnlyMemory<byte>.Empty);

        Assert.Empty((await _client.GetDataAsync($"{_root}/empty")).Data);
    }

    [Fact]
    public async Task CreateAsyncThrowsNodeExistsWhenNodeExists()
    {
        await _client.CreateAsync($"{_root}/dup", ReadOnlyMemory<byte>.Empty);

        NodeExistsException e = await Assert.ThrowsAsync<NodeExistsException>(() => _client.CreateAsync($"{_root}/dup", ReadOnlyMemory<byte>.Empty));
        Assert.Equal($"{_root}/dup", e.Path);
        Assert.Equal(ZooKeeperErrorCode.NodeExists, e.Code);
    }

    [Fact]
    public async Task CreateAsyncThrowsNoNodeWhenParentIsMissing()
    {
        await Assert.ThrowsAsync<NoNodeException>(() => _client.CreateAsync($"{_root}/missing/child", ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public async Task CreateAsyncAppendsTenDigitCounterWhenSequential()
    {
        await _client.CreateAsync($"{_root}/queue", ReadOnlyMemory<byte>.Empty);

        string first = await _client.CreateAsync($"{_root}/queue/item-", ReadOnlyMemory<byte>.Empty, CreateMode.PersistentSequential);
        string second = await _client.CreateAsync($"{_root}/queue/item-", ReadOnlyMemory<byte>.Empty, CreateMode.PersistentSequential);

        Assert.Equal($"{_root}/queue/item-0000000000", first);
        Assert.Equal($"{_root}/queue/item-0000000001", second);
    }

    [Fact]
    public async Task CreateAsyncMakesNodeOwnedBySessionWhenEphemeralSequential()
    {
        string path = await _client.CreateAsync($"{_root}/eph-", "x"u8.ToArray(), CreateMode.EphemeralSequential);

        ZNodeStat? stat = await _client.ExistsAsync(path);

        Assert.Matches(@"/eph-\d{10}$", path);
        Assert.NotNull(stat);
        Assert.Equal(_client.SessionId, stat.EphemeralOwner);
    }

    [Fact]
    public async Task CreateAsyncThrowsNoChildrenForEphemeralsWhenParentIsEphemeral()
    {
        await _client.CreateAsync($"{_root}/eph", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        ZooKeeperException e = await Assert.ThrowsAsync<ZooKeeperException>(() => _client.CreateAsync($"{_root}/eph/child", ReadOnlyMemory<byte>.Empty));
        Assert.Equal(ZooKeeperErrorCode.NoChildrenForEphemerals, e.Code);
    }

    [Fact]
    public async Task CreateWithStatAsyncReturnsStatOfNewNodeWhenSequential()
    {
        ZNodeCreated created = await _client.CreateWithStatAsync($"{_root}/c2-", "abc"u8.ToArray(), CreateMode.PersistentSequential);

        ZNodeStat? stat = await _client.ExistsAsync(created.Path);

        Assert.Equal(stat, created.Stat);
        Assert.Equal(3, created.Stat.DataLength);
    }

    [Fact]
    public async Task CreateAsyncRejectsAclThatGrantsNothingWhenGivenEmptyAcl()
    {
        ZooKeeperException e = await Assert.ThrowsAsync<ZooKeeperException>(() => _client.CreateAsync($"{_root}/noacl", ReadOnlyMemory<byte>.Empty, acl: []));
        Assert.Equal(ZooKeeperErrorCode.InvalidAcl, e.Code);
    }

    [Fact]
    public async Task ExistsAsyncReturnsNullWhenNodeIsMissing()
    {
        Assert.Null(await _client.ExistsAsync($"{_root}/nothing"));
    }

    [Fact]
    public async Task SetDataAsyncIncrementsVersionWhenExpectedVersionMatches()
    {
        await _client.CreateAsync($"{_root}/cas", "v0"u8.ToArray());

        ZNodeStat after = await _client.SetDataAsync($"{_root}/cas", "v1"u8.ToArray(), expectedVersion: 0);
        ZNodeStat again = await _client.SetDataAsync($"{_root}/cas", "v2"u8.ToArray(), expectedVersion: 1);

        Assert.Equal(1, after.Version);
        Assert.Equal(2, again.Version);
        Assert.Equal("v2"u8.ToArray(), (await _client.GetDataAsync($"{_root}/cas")).Data);
    }

    [Fact]
    public async Task SetDataAsyncThrowsBadVersionAndKeepsDataWhenExpectedVersionIsStale()
    {
        await _client.CreateAsync($"{_root}/cas", "v0"u8.ToArray());
        await _client.SetDataAsync($"{_root}/cas", "v1"u8.ToArray(), expectedVersion: 0);

        await Assert.ThrowsAsync<BadVersionException>(() => _client.SetDataAsync($"{_root}/cas", "lost"u8.ToArray(), expectedVersion: 0));

        ZNodeData node = await _client.GetDataAsync($"{_root}/cas");
        Assert.Equal("v1"u8.ToArray(), node.Data);
        Assert.Equal(1, node.Stat.Version);
    }

    [Fact]
    public async Task SetDataAsyncWritesWhenExpectedVersionIsMinusOne()
    {
        await _client.CreateAsync($"{_root}/any", "v0"u8.ToArray());
        await _client.SetDataAsync($"{_root}/any", "v1"u8.ToArray());

        ZNodeStat stat = await _client.SetDataAsync($"{_root}/any", "v2"u8.ToArray(), expectedVersion: -1);

        Assert.Equal(2, stat.Version);
    }

    [Fact]
    public async Task SetDataAsyncThrowsNoNodeWhenNodeIsMissing()
    {
        await Assert.ThrowsAsync<NoNodeException>(() => _client.SetDataAsync($"{_root}/nothing", "x"u8.ToArray()));
    }

    [Fact]
    public async Task DeleteAsyncRemovesNodeWhenVersionMatches()
    {
        await _client.CreateAsync($"{_root}/del", ReadOnlyMemory<byte>.Empty);

        await _client.DeleteAsync($"{_root}/del", expectedVersion: 0);

        Assert.Null(await _client.ExistsAsync($"{_root}/del"));
    }

    [Fact]
    public async Task DeleteAsyncThrowsBadVersionWhenVersionIsStale()
    {
        await _client.CreateAsync($"{_root}/del", ReadOnlyMemory<byte>.Empty);
        await _client.SetDataAsync($"{_root}/del", "x"u8.ToArray());

        await Assert.ThrowsAsync<BadVersionException>(() => _client.DeleteAsync($"{_root}/del", expectedVersion: 0));
        Assert.NotNull(await _client.ExistsAsync($"{_root}/del"));
    }

    [Fact]
    public async Task DeleteAsyncThrowsNotEmptyWhenNodeHasChildren()
    {
        await _client.CreateAsync($"{_root}/parent", ReadOnlyMemory<byte>.Empty);
        await _client.CreateAsync($"{_root}/parent/child", ReadOnlyMemory<byte>.Empty);

        await Assert.ThrowsAsync<NotEmptyException>(() => _client.DeleteAsync($"{_root}/parent"));
    }

    [Fact]
    public async Task DeleteAsyncThrowsNoNodeWhenNodeIsMissing()
    {
        await Assert.ThrowsAsync<NoNodeException>(() => _client.DeleteAsync($"{_root}/nothing"));
    }

    [Fact]
    public async Task GetChildrenAsyncListsChildNamesWhenNodeHasChildren()
    {
        await _client.CreateAsync($"{_root}/p", ReadOnlyMemory<byte>.Empty);
        await _client.CreateAsync($"{_root}/p/a", ReadOnlyMemory<byte>.Empty);
        await _client.CreateAsync($"{_root}/p/b", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        IReadOnlyList<string> children = await _client.GetChildrenAsync($"{_root}/p");

        Assert.Equal(["a", "b"], children.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetChildrenWithStatAsyncReturnsParentStatWhenNodeHasChildren()
    {
        await _client.CreateAsync($"{_root}/p", ReadOnlyMemory<byte>.Empty);
        await _client.CreateAsync($"{_root}/p/a", ReadOnlyMemory<byte>.Empty);

        ZNodeChildren result = await _client.GetChildrenWithStatAsync($"{_root}/p");

        Assert.Equal(["a"], result.Children);
        Assert.Equal(1, result.Stat.NumChildren);
        Assert.Equal(1, result.Stat.Cversion);
    }

    [Fact]
    public async Task GetChildrenAsyncThrowsNoNodeWhenNodeIsMissing()
    {
        await Assert.ThrowsAsync<NoNodeException>(() => _client.GetChildrenAsync($"{_root}/nothing"));
    }

    [Fact]
    public async Task MultiAsyncAppliesEveryOperationWhenAllSucceed()
    {
        await _client.CreateAsync($"{_root}/m", "old"u8.ToArray());
        await _client.CreateAsync($"{_root}/gone", ReadOnlyMemory<byte>.Empty);

        IReadOnlyList<ZooKeeperOpResult> results = await _client.MultiAsync(
        [
            ZooKeeperOp.Check($"{_root}/m", 0),
            ZooKeeperOp.Create($"{_root}/m/seq-", "s"u8.ToArray(), CreateMode.PersistentSequential),
            ZooKeeperOp.SetData($"{_root}/m", "new"u8.ToArray(), 0),
            ZooKeeperOp.Delete($"{_root}/gone"),
        ]);

        Assert.IsType<ZooKeeperOpResult.Check>(results[0]);
        Assert.Equal($"{_root}/m/seq-0000000000", Assert.IsType<ZooKeeperOpResult.Create>(results[1]).Path);
        Assert.Equal(1, Assert.IsType<ZooKeeperOpResult.SetData>(results[2]).Stat.Version);
        Assert.IsType<ZooKeeperOpResult.Delete>(results[3]);
        Assert.Equal("new"u8.ToArray(), (await _client.GetDataAsync($"{_root}/m")).Data);
        Assert.Null(await _client.ExistsAsync($"{_root}/gone"));
    }

    [Fact]
    public async Task MultiAsyncAppliesNothingAndReportsFailingOpWhenOneOpFails()
    {
        await _client.CreateAsync($"{_root}/exists", ReadOnlyMemory<byte>.Empty);

        NodeExistsException e = await Assert.ThrowsAsync<NodeExistsException>(() => _client.MultiAsync(
        [
            ZooKeeperOp.Create($"{_root}/first", ReadOnlyMemory<byte>.Empty),
            ZooKeeperOp.Create($"{_root}/exists", ReadOnlyMemory<byte>.Empty),
            ZooKeeperOp.SetData($"{_root}/exists", "x"u8.ToArray()),
        ]));

        Assert.Equal(1, e.FailedOperationIndex);
        Assert.Equal($"{_root}/exists", e.Path);
        Assert.Equal<ZooKeeperOpResult>(
            [
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.Ok),
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.NodeExists),
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.RuntimeInconsistency),
            ],
            e.MultiResults!);
        Assert.Null(await _client.ExistsAsync($"{_root}/first"));
        Assert.Equal(0, (await _client.GetDataAsync($"{_root}/exists")).Stat.Version);
    }

    [Fact]
    public async Task MultiAsyncThrowsBadVersionWhenCheckFails()
    {
        await _client.CreateAsync($"{_root}/guard", ReadOnlyMemory<byte>.Empty);

        BadVersionException e = await Assert.ThrowsAsync<BadVersionException>(() => _client.MultiAsync(
        [
            ZooKeeperOp.Create($"{_root}/guarded", ReadOnlyMemory<byte>.Empty),
            ZooKeeperOp.Check($"{_root}/guard", 7),
        ]));

        Assert.Equal(1, e.FailedOperationIndex);
        Assert.Null(await _client.ExistsAsync($"{_root}/guarded"));
    }

    [Fact]
    public async Task MultiAsyncReturnsNoResultsWhenGivenNoOperations()
    {
        Assert.Empty(await _client.MultiAsync([]));
    }

    [Fact]
    public async Task EnsurePathExistsAsyncCreatesMissingAncestorsWhenSomeAlreadyExist()
    {
        await _client.CreateAsync($"{_root}/a", "keep"u8.ToArray());

        await _client.EnsurePathExistsAsync($"{_root}/a/b/c");
        await _client.EnsurePathExistsAsync($"{_root}/a/b/c");

        Assert.NotNull(await _client.ExistsAsync($"{_root}/a/b/c"));
        Assert.Equal("keep"u8.ToArray(), (await _client.GetDataAsync($"{_root}/a")).Data);
    }

    [Fact]
    public async Task SyncAsyncCompletesWhenNodeExists()
    {
        await _client.SyncAsync(_root);

        Assert.NotNull(await _client.ExistsAsync(_root));
    }

    [Fact]
    public async Task ConcurrentRequestsEachGetTheirOwnReplyWhenPipelined()
    {
        // Hundreds of requests in flight on one connection: replies are matched to requests by xid order.
        await _client.CreateAsync($"{_root}/many", ReadOnlyMemory<byte>.Empty);
        Task<string>[] creates = [.. Enumerable.Range(0, 200).Select(i => _client.CreateAsync($"{_root}/many/n{i}", BitConverter.GetBytes(i)))];
        await Task.WhenAll(creates).WaitAsync(Waits.Short);

        Task<ZNodeData>[] reads = [.. Enumerable.Range(0, 200).Select(i => _client.GetDataAsync($"{_root}/many/n{i}"))];
        ZNodeData[] nodes = await Task.WhenAll(reads).WaitAsync(Waits.Short);

        for (int i = 0; i < nodes.Length; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(nodes[i].Data));
        }

        Assert.Equal(200, (await _client.GetChildrenAsync($"{_root}/many")).Count);
    }

    [Fact]
    public async Task GetDataAsyncReturnsAllBytesWhenDataIsLarge()
    {
        byte[] data = new byte[900 * 1024];
        Random.Shared.NextBytes(data);
        await _client.CreateAsync($"{_root}/large", data);

        Assert.Equal(data, (await _client.GetDataAsync($"{_root}/large")).Data);
    }

    [Fact]
    public async Task OperationsThrowArgumentExceptionWhenPathIsInvalid()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.GetDataAsync("relative"));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateAsync($"{_root}/trailing/", ReadOnlyMemory<byte>.Empty));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ExistsAsync($"{_root}//double"));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.DeleteAsync($"{_root}/../up"));
    }

    [Fact]
    public async Task DisposeAsyncDeletesEphemeralNodesAtOnceWhenSessionCloses()
    {
        ZooKeeperClient owner = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await owner.CreateAsync($"{_root}/mine", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        await owner.DisposeAsync().AsTask().WaitAsync(Waits.Short);

        Assert.Null(await _client.ExistsAsync($"{_root}/mine"));
        Assert.Equal(ZooKeeperState.Closed, owner.State);
    }

    [Fact]
    public async Task OperationsThrowObjectDisposedWhenClientIsDisposed()
    {
        ZooKeeperClient closed = await ZooKeeperClient.ConnectAsync(server.ConnectString).WaitAsync(Waits.Short);
        await closed.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => closed.ExistsAsync(_root));
    }

    [Fact]
    public async Task ConnectAsyncNegotiatesTimeoutWithinServerBoundsWhenAskedForTooLittleOrTooMuch()
    {
        // The server clamps to [2, 20] ticks.
        int tick = ZooKeeperServerProcess.TickTimeMs;
        await using ZooKeeperClient low = await ZooKeeperClient.ConnectAsync(
            new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromMilliseconds(10) }).WaitAsync(Waits.Short);
        await using ZooKeeperClient high = await ZooKeeperClient.ConnectAsync(
            new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromMinutes(5) }).WaitAsync(Waits.Short);

        Assert.Equal(TimeSpan.FromMilliseconds(2 * tick), low.SessionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(20 * tick), high.SessionTimeout);
    }
}
