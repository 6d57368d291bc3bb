using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>
/// Precedes every request body after the handshake.
/// <code>
///   +---------+----------+---------------+
///   | len:int | xid:int  | type:int      |  body...
///   +---------+----------+---------------+
///    frame     RequestHeader
/// </code>
/// </summary>
internal readonly record struct RequestHeader(int Xid, OpCode Type)
{
    public const int Size = 8;

    public void Write(JuteWriter writer)
    {
        writer.WriteInt(Xid);
        writer.WriteInt((int)Type);
    }
}
