namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>
/// The three watch tables of a session, as ZooKeeper keeps them. Which table a read lands in decides which events
/// fire it: data watches (getData, or exists on a present node) fire on change, delete and create; exist watches
/// (exists on an absent node) fire on create; child watches (getChildren) fire on child changes and delete.
/// </summary>
internal enum WatchKind
{
    Data,
    Exist,
    Child,
}

/// <summary>
/// What to register when a watching read's reply arrives: on success into <paramref name="OnSuccess"/>; on NoNode
/// into <paramref name="OnNoNode"/> if set (only exists leaves a watch on an absent node).
/// </summary>
internal sealed record WatchRegistration(string ClientPath, WatchKind OnSuccess, WatchKind? OnNoNode, Action<WatchedEvent> Watcher);
