namespace KafkaSharp.ZooKeeper;

/// <summary>
/// One operation of a <see cref="ZooKeeperClient.MultiAsync"/> transaction. All of a multi's operations are
/// applied, or none is.
/// </summary>
public abstract record ZooKeeperOp(string Path)
{
    /// <summary>Creates a node; the ACL defaults to <see cref="ZooKeeperAcl.OpenUnsafe"/>.</summary>
    public static ZooKeeperOp Create(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<ZooKeeperAcl>? acl = null) =>
        new CreateOp(path, data, mode, acl ?? ZooKeeperAcl.OpenUnsafe);

    /// <summary>Deletes a node if its version matches; -1 matches any version.</summary>
    public static ZooKeeperOp Delete(string path, int expectedVersion = -1) => new DeleteOp(path, expectedVersion);

    /// <summary>Replaces a node's data if its version matches; -1 matches any version.</summary>
    public static ZooKeeperOp SetData(string path, ReadOnlyMemory<byte> data, int expectedVersion = -1) =>
        new SetDataOp(path, data, expectedVersion);

    /// <summary>Changes nothing, but fails the whole transaction unless the node's version matches.</summary>
    public static ZooKeeperOp Check(string path, int expectedVersion) => new CheckOp(path, expectedVersion);

    public sealed record CreateOp(string Path, ReadOnlyMemory<byte> Data, CreateMode Mode, IReadOnlyList<ZooKeeperAcl> Acl) : ZooKeeperOp(Path);

    public sealed record DeleteOp(string Path, int ExpectedVersion) : ZooKeeperOp(Path);

    public sealed record SetDataOp(string Path, ReadOnlyMemory<byte> Data, int ExpectedVersion) : ZooKeeperOp(Path);

    public sealed record CheckOp(string Path, int ExpectedVersion) : ZooKeeperOp(Path);
}

/// <summary>The outcome of one operation of a multi, in the order the operations were given.</summary>
public abstract record ZooKeeperOpResult
{
    /// <summary>A create succeeded; <paramref name="Path"/> is the actual name (with any sequence suffix).</summary>
    public sealed record Create(string Path) : ZooKeeperOpResult;

    public sealed record Delete : ZooKeeperOpResult;

    public sealed record SetData(ZNodeStat Stat) : ZooKeeperOpResult;

    public sealed record Check : ZooKeeperOpResult;

    /// <summary>
    /// The transaction failed. The failing operation carries its own code; the server reports the operations
    /// before it as <see cref="ZooKeeperErrorCode.Ok"/> and those after it as
    /// <see cref="ZooKeeperErrorCode.RuntimeInconsistency"/>, none of them applied.
    /// </summary>
    public sealed record Error(ZooKeeperErrorCode Code) : ZooKeeperOpResult;
}
