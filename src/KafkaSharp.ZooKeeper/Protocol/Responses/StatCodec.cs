using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Responses;

/// <summary>
/// Decodes the Stat record (68 bytes), which ends the replies to exists, getData, setData, create2 and getChildren2.
/// <code>
///   +------------+------------+------------+------------+-------------+--------------+--------------+
///   | czxid:long | mzxid:long | ctime:long | mtime:long | version:int | cversion:int | aversion:int |
///   +------------+------------+------------+------------+-------------+--------------+--------------+
///   +---------------------+----------------+-----------------+------------+
///   | ephemeralOwner:long | dataLength:int | numChildren:int | pzxid:long |
///   +---------------------+----------------+-----------------+------------+
/// </code>
/// </summary>
internal static class StatCodec
{
    public const int Size = 68;

    public static ZNodeStat Read(ref JuteReader reader) => new(
        Czxid: reader.ReadLong(),
        Mzxid: reader.ReadLong(),
        Ctime: reader.ReadLong(),
        Mtime: reader.ReadLong(),
        Version: reader.ReadInt(),
        Cversion: reader.ReadInt(),
        Aversion: reader.ReadInt(),
        EphemeralOwner: reader.ReadLong(),
        DataLength: reader.ReadInt(),
        NumChildren: reader.ReadInt(),
        Pzxid: reader.ReadLong());
}
