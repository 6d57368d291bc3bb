using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>
/// Precedes every reply and notification after the handshake. The body is present only when err is 0, except for
/// multi, whose header always says 0 and whose body carries each operation's error.
/// <code>
///   +---------+---------+-----------+---------+
///   | len:int | xid:int | zxid:long | err:int |  body...
///   +---------+---------+-----------+---------+
///              ReplyHeader (16 bytes)
/// </code>
/// </summary>
internal readonly record struct ReplyHeader(int Xid, long Zxid, ZooKeeperErrorCode Err)
{
    public const int Size = 16;

    public static ReplyHeader Read(ref JuteReader reader) =>
        new(reader.ReadInt(), reader.ReadLong(), (ZooKeeperErrorCode)reader.ReadInt());
}
