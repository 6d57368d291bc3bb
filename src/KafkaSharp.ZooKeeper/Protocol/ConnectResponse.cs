using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>
/// The server's answer to a ConnectRequest, again with no header. A timeOut of 0 (or less) means the session the
/// client asked to resume has expired. Old servers omit the trailing readOnly flag, so it is read only if present.
/// <code>
///   +-----------------+-------------+----------------+---------------+-------------+
///   | protocolVersion | timeOut:int | sessionId:long | passwd:buffer | readOnly:b? |
///   +-----------------+-------------+----------------+---------------+-------------+
/// </code>
/// </summary>
internal readonly record struct ConnectResponse(int ProtocolVersion, int TimeoutMs, long SessionId, byte[] Password, bool ReadOnly)
{
    public bool SessionExpired => TimeoutMs <= 0;

    public static ConnectResponse Read(ref JuteReader reader)
    {
        int protocolVersion = reader.ReadInt();
        int timeout = reader.ReadInt();
        long sessionId = reader.ReadLong();
        byte[] password = reader.ReadBuffer() ?? [];
        bool readOnly = !reader.End && reader.ReadBool();
        return new ConnectResponse(protocolVersion, timeout, sessionId, password, readOnly);
    }
}
