using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of sync (9): just a path.
/// <code>
///   +--------------+
///   | path:ustring |
///   +--------------+
/// </code>
/// </summary>
internal sealed record PathRequest(string Path) : IJuteRequest
{
    public void Write(JuteWriter writer) => writer.WriteString(Path);
}
