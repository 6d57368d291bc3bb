using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of delete (2) and of check (13, only inside a multi): DeleteRequest and CheckVersionRequest share this
/// layout. A version of -1 matches any version.
/// <code>
///   +--------------+-------------+
///   | path:ustring | version:int |
///   +--------------+-------------+
/// </code>
/// </summary>
internal sealed record PathVersionRequest(string Path, int Version) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteInt(Version);
    }
}
