namespace KafkaSharp.ZooKeeper;

/// <summary>What a watch saw (jute <c>WatcherEvent.type</c>).</summary>
public enum WatchEventType
{
    /// <summary>No node event: the session ended (see <see cref="WatchedEvent.State"/>) before the watch fired.</summary>
    None = -1,
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
}

/// <summary>
/// One delivery to a watcher. Watches are one-shot: after this, the watcher hears nothing more for that
/// registration and must read again (with a watch) to learn of later changes.
/// </summary>
/// <param name="Type">What happened to the node.</param>
/// <param name="State">The client's state when it happened (Connected for node events).</param>
/// <param name="Path">The node's path relative to the chroot, or null for a session event.</param>
public sealed record WatchedEvent(WatchEventType Type, ZooKeeperState State, string? Path);
