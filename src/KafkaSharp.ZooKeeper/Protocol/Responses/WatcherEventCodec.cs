using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Responses;

/// <summary>
/// Decodes a watch notification: a ReplyHeader with xid -1, then a WatcherEvent.
/// <code>
///   +----------+-----------+--------------+
///   | type:int | state:int | path:ustring |
///   +----------+-----------+--------------+
///   type: 1 created, 2 deleted, 3 data changed, 4 children changed
///   state: 3 SyncConnected (the only state a server sends)
/// </code>
/// </summary>
internal static class WatcherEventCodec
{
    public static (WatchEventType Type, int State, string Path) Read(ref JuteReader reader)
    {
        var type = (WatchEventType)reader.ReadInt();
        int state = reader.ReadInt();
        string path = reader.ReadString() ?? string.Empty;
        return (type, state, path);
    }
}
