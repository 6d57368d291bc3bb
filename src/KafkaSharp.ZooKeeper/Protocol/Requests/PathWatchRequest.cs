using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of exists (3), getData (4), getChildren (8) and getChildren2 (12): the four share one layout. With
/// watch set the server leaves a one-shot watch on the path for this session.
/// <code>
///   +--------------+----------+
///   | path:ustring | watch:b  |
///   +--------------+----------+
/// </code>
/// </summary>
internal sealed record PathWatchRequest(string Path, bool Watch) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBool(Watch);
    }
}
