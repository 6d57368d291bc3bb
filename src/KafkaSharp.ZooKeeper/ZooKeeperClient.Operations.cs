using KafkaSharp.ZooKeeper.Connection;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;
using KafkaSharp.ZooKeeper.Protocol.Responses;

namespace KafkaSharp.ZooKeeper;

/// <summary>A created node's actual path (with any sequence suffix) and its metadata.</summary>
public sealed record ZNodeCreated(string Path, ZNodeStat Stat);

public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Creates a node and returns its actual path: for a sequential mode, the given path with a 10-digit counter
    /// appended (e.g. <c>/queue/item-0000000007</c>). The ACL defaults to <see cref="ZooKeeperAcl.OpenUnsafe"/>.
    /// Throws <see cref="NodeExistsException"/>, or <see cref="NoNodeException"/> when the parent is missing.
    /// </summary>
    public async Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent,
        IReadOnlyList<ZooKeeperAcl>? acl = null, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path, mode.IsSequential());
        var request = new CreateRequest(ServerPath(path), data, acl ?? ZooKeeperAcl.OpenUnsafe, mode);
        string created = await SendAsync(new Packet<string>(OpCode.Create, request, path, ResponseCodecs.ReadPath), cancellationToken).ConfigureAwait(false);
        return ClientPath(created);
    }

    /// <summary>As <see cref="CreateAsync"/>, also returning the new node's metadata (ZooKeeper's create2).</summary>
    public async Task<ZNodeCreated> CreateWithStatAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent,
        IReadOnlyList<ZooKeeperAcl>? acl = null, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path, mode.IsSequential());
        var request = new CreateRequest(ServerPath(path), data, acl ?? ZooKeeperAcl.OpenUnsafe, mode);
        (string created, ZNodeStat stat) = await SendAsync(
            new Packet<(string, ZNodeStat)>(OpCode.Create2, request, path, ResponseCodecs.ReadCreate2), cancellationToken).ConfigureAwait(false);
        return new ZNodeCreated(ClientPath(created), stat);
    }

    /// <summary>
    /// Deletes a node if its version equals <paramref name="expectedVersion"/> (-1: any version). Throws
    /// <see cref="NoNodeException"/>, <see cref="BadVersionException"/> or <see cref="NotEmptyException"/>.
    /// </summary>
    public Task DeleteAsync(string path, int expectedVersion = -1, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path);
        return SendAsync(new Packet<bool>(OpCode.Delete, new PathVersionRequest(ServerPath(path), expectedVersion), path, ResponseCodecs.ReadNothing), cancellationToken);
    }

    /// <summary>The node's metadata, or null if there is no such node.</summary>
    public Task<ZNodeStat?> ExistsAsync(string path, CancellationToken cancellationToken = default) =>
        ExistsCoreAsync(path, watcher: null, cancellationToken);

    /// <summary>
    /// The node's metadata, or null, leaving a one-shot watch: if the node exists, the watcher hears its next data
    /// change or its deletion; if not, its creation.
    /// </summary>
    public Task<ZNodeStat?> ExistsAsync(string path, Action<WatchedEvent> watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return ExistsCoreAsync(path, watcher, cancellationToken);
    }

    /// <summary>The node's data and metadata. Throws <see cref="NoNodeException"/>.</summary>
    public Task<ZNodeData> GetDataAsync(string path, CancellationToken cancellationToken = default) =>
        GetDataCoreAsync(path, watcher: null, cancellationToken);

    /// <summary>The node's data and metadata, leaving a one-shot watch for its next data change or deletion.</summary>
    public Task<ZNodeData> GetDataAsync(string path, Action<WatchedEvent> watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return GetDataCoreAsync(path, watcher, cancellationToken);
    }

    /// <summary>
    /// Replaces the node's data if its version equals <paramref name="expectedVersion"/> (-1: any version), a
    /// compare-and-set; returns the new metadata. Throws <see cref="BadVersionException"/> or <see cref="NoNodeException"/>.
    /// </summary>
    public Task<ZNodeStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int expectedVersion = -1, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path);
        return SendAsync(new Packet<ZNodeStat>(OpCode.SetData, new SetDataRequest(ServerPath(path), data, expectedVersion), path, ResponseCodecs.ReadStat), cancellationToken);
    }

    /// <summary>The names of the node's children, in no particular order. Throws <see cref="NoNodeException"/>.</summary>
    public Task<IReadOnlyList<string>> GetChildrenAsync(string path, CancellationToken cancellationToken = default) =>
        GetChildrenCoreAsync(path, watcher: null, cancellationToken);

    /// <summary>The names of the node's children, leaving a one-shot watch for a child change or the node's deletion.</summary>
    public Task<IReadOnlyList<string>> GetChildrenAsync(string path, Action<WatchedEvent> watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return GetChildrenCoreAsync(path, watcher, cancellationToken);
    }

    /// <summary>The children with the parent's metadata (ZooKeeper's getChildren2), optionally leaving a child watch.</summary>
    public Task<ZNodeChildren> GetChildrenWithStatAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path);
        var packet = new Packet<ZNodeChildren>(OpCode.GetChildren2, new PathWatchRequest(ServerPath(path), watcher is not null), path, ResponseCodecs.ReadChildren2)
        {
            Watch = watcher is null ? null : new WatchRegistration(path, WatchKind.Child, null, watcher),
        };
        return SendAsync(packet, cancellationToken);
    }

    /// <summary>
    /// Creates the node and any missing ancestors as empty persistent nodes; nodes that already exist (perhaps
    /// created concurrently by someone else) are fine. The way Kafka makes sure its paths exist.
    /// </summary>
    public async Task EnsurePathExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path);
        if (path == "/")
        {
            return;
        }

        try
        {
            await CreateAsync(path, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeExistsException)
        {
            // Already there.
        }
        catch (NoNodeException)
        {
            await EnsurePathExistsAsync(path[..Math.Max(1, path.LastIndexOf('/'))], cancellationToken).ConfigureAwait(false);
            try
            {
                await CreateAsync(path, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, null, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeExistsException)
            {
                // Created meanwhile.
            }
        }
    }

    /// <summary>
    /// Waits until the server this client is connected to has caught up with the leader for the path, so that a
    /// following read sees every write committed before the sync.
    /// </summary>
    public async Task SyncAsync(string path, CancellationToken cancellationToken = default)
    {
        ZNodePath.Validate(path);
        await SendAsync(new Packet<string>(OpCode.Sync, new PathRequest(ServerPath(path)), path, ResponseCodecs.ReadPath), cancellationToken).ConfigureAwait(false);
    }

    private Task<ZNodeStat?> ExistsCoreAsync(string path, Action<WatchedEvent>? watcher, CancellationToken cancellationToken)
    {
        ZNodePath.Validate(path);
        var packet = new Packet<ZNodeStat?>(OpCode.Exists, new PathWatchRequest(ServerPath(path), watcher is not null), path, ResponseCodecs.ReadStat)
        {
            NoNodeIsAnswer = true,
            Watch = watcher is null ? null : new WatchRegistration(path, WatchKind.Data, WatchKind.Exist, watcher),
        };
        return SendAsync(packet, cancellationToken);
    }

    private Task<ZNodeData> GetDataCoreAsync(string path, Action<WatchedEvent>? watcher, CancellationToken cancellationToken)
    {
        ZNodePath.Validate(path);
        var packet = new Packet<ZNodeData>(OpCode.GetData, new PathWatchRequest(ServerPath(path), watcher is not null), path, ResponseCodecs.ReadGetData)
        {
            Watch = watcher is null ? null : new WatchRegistration(path, WatchKind.Data, null, watcher),
        };
        return SendAsync(packet, cancellationToken);
    }

    private Task<IReadOnlyList<string>> GetChildrenCoreAsync(string path, Action<WatchedEvent>? watcher, CancellationToken cancellationToken)
    {
        ZNodePath.Validate(path);
        var packet = new Packet<IReadOnlyList<string>>(OpCode.GetChildren, new PathWatchRequest(ServerPath(path), watcher is not null), path, ResponseCodecs.ReadChildren)
        {
            Watch = watcher is null ? null : new WatchRegistration(path, WatchKind.Child, null, watcher),
        };
        return SendAsync(packet, cancellationToken);
    }

    /// <summary>
    /// Queues a request and waits for its reply. Cancelling stops the wait only: a request already queued or sent
    /// may still be applied.
    /// </summary>
    private Task<T> SendAsync<T>(Packet<T> packet, CancellationToken cancellationToken)
    {
        if (!_outgoing.Writer.TryWrite(packet) || Volatile.Read(ref _disposed) != 0)
        {
            packet.Fail(_state == ZooKeeperState.Expired
                ? new SessionExpiredException(packet.Path)
                : new ObjectDisposedException(nameof(ZooKeeperClient)));
        }

        return packet.Task.WaitAsync(cancellationToken);
    }

    private string ServerPath(string clientPath) => ZNodePath.ToServer(Chroot, clientPath);

    private string ClientPath(string serverPath) => ZNodePath.ToClient(Chroot, serverPath);
}
