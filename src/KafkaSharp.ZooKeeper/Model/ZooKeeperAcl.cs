namespace KafkaSharp.ZooKeeper;

/// <summary>Permission bits of an ACL entry (ZooKeeper's <c>ZooDefs.Perms</c>).</summary>
[Flags]
public enum ZooKeeperPermissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Create = 4,
    Delete = 8,
    Admin = 16,
    All = Read | Write | Create | Delete | Admin,
}

/// <summary>One ACL entry: the permissions an identity (scheme and id, e.g. <c>world:anyone</c>) has on a node.</summary>
public sealed record ZooKeeperAcl(ZooKeeperPermissions Permissions, string Scheme, string Id)
{
    /// <summary>Everything for everyone (<c>world:anyone</c>, all permissions): ZooKeeper's OPEN_ACL_UNSAFE, the default for create.</summary>
    public static IReadOnlyList<ZooKeeperAcl> OpenUnsafe { get; } = [new(ZooKeeperPermissions.All, "world", "anyone")];

    /// <summary>Read-only for everyone.</summary>
    public static IReadOnlyList<ZooKeeperAcl> ReadUnsafe { get; } = [new(ZooKeeperPermissions.Read, "world", "anyone")];
}
