using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of setData (5). The write happens only if the node's version equals version (-1: any), which makes
/// it a compare-and-set.
/// <code>
///   +--------------+-------------+-------------+
///   | path:ustring | data:buffer | version:int |
///   +--------------+-------------+-------------+
/// </code>
/// </summary>
internal sealed record SetDataRequest(string Path, ReadOnlyMemory<byte> Data, int Version) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBuffer(Data.Span);
        writer.WriteInt(Version);
    }
}
