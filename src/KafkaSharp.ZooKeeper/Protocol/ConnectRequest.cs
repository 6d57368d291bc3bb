using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>
/// The first frame on a connection: no RequestHeader, just this record. A zero session id asks for a new session;
/// a known id with its password resumes that session on this server. The trailing readOnly flag is not in the
/// jute file but every 3.x client sends it and servers read it when present.
/// <code>
///   +-----------------+-------------------+-------------+----------------+---------------------+-------------+
///   | protocolVersion | lastZxidSeen:long | timeOut:int | sessionId:long | passwd:buffer       | readOnly:b  |
///   | int (0)         |                   | (ms)        |                | int len + 16 bytes  | (0)         |
///   +-----------------+-------------------+-------------+----------------+---------------------+-------------+
/// </code>
/// </summary>
internal readonly record struct ConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, ReadOnlyMemory<byte> Password)
{
    public void Write(JuteWriter writer)
    {
        writer.WriteInt(0);
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password.Span);
        writer.WriteBool(false);
    }
}
