namespace KafkaSharp.ZooKeeper;

/// <summary>Where a client's session stands.</summary>
public enum ZooKeeperState
{
    /// <summary>Establishing the first connection.</summary>
    Connecting,

    /// <summary>Connected to a server; requests flow.</summary>
    Connected,

    /// <summary>The connection was lost; the session may still be alive and the client is reconnecting.</summary>
    Disconnected,

    /// <summary>The ensemble declared the session expired; the client is finished. Ephemerals and watches are gone.</summary>
    Expired,

    /// <summary>The client was closed (or never got its first connection).</summary>
    Closed,
}

/// <summary>Arguments of <see cref="ZooKeeperClient.StateChanged"/>.</summary>
public sealed class ZooKeeperStateChangedEventArgs(ZooKeeperState state) : EventArgs
{
    public ZooKeeperState State { get; } = state;
}
