using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of create (1) and create2 (15; same request, the reply adds the Stat).
/// <code>
///   +--------------+-------------+-------------------+-----------+
///   | path:ustring | data:buffer | acl:vector&lt;ACL&gt; | flags:int |
///   +--------------+-------------+-------------------+-----------+
///   ACL = perms:int, Id{ scheme:ustring, id:ustring }
/// </code>
/// flags is the <see cref="CreateMode"/>: bit 0 ephemeral, bit 1 sequential.
/// </summary>
internal sealed record CreateRequest(string Path, ReadOnlyMemory<byte> Data, IReadOnlyList<ZooKeeperAcl> Acl, CreateMode Mode) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBuffer(Data.Span);
        writer.WriteInt(Acl.Count);
        foreach (ZooKeeperAcl entry in Acl)
        {
            writer.WriteInt((int)entry.Permissions);
            writer.WriteString(entry.Scheme);
            writer.WriteString(entry.Id);
        }

        writer.WriteInt((int)Mode);
    }
}
