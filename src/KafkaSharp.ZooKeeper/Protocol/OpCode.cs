namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>The request types this client sends (ZooKeeper's <c>ZooDefs.OpCode</c>), written as RequestHeader.type.</summary>
internal enum OpCode
{
    /// <summary>In a multi response header: this result is an error (an ErrorResponse follows).</summary>
    Error = -1,
    CloseSession = -11,
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    GetChildren = 8,
    Sync = 9,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    Create2 = 15,
    SetWatches = 101,
}

/// <summary>
/// The reserved xids. Ordinary requests get positive, increasing xids and their replies come back in the same order;
/// these negative ones mark frames outside that order.
/// </summary>
internal static class Xid
{
    /// <summary>A watch notification pushed by the server (a WatcherEvent follows the reply header).</summary>
    public const int Notification = -1;

    public const int Ping = -2;

    /// <summary>An AuthPacket reply; this client sends none but tolerates one.</summary>
    public const int Auth = -4;

    /// <summary>SetWatches, sent first on every reconnect to re-register the client's watches.</summary>
    public const int SetWatches = -8;
}
