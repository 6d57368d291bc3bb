namespace KafkaSharp.ZooKeeper;

/// <summary>A node's data and metadata, as getData returns them. A node created with no data has an empty array.</summary>
public sealed record ZNodeData(byte[] Data, ZNodeStat Stat);

/// <summary>A node's children (names, not paths, in no particular order) with the parent's metadata.</summary>
public sealed record ZNodeChildren(IReadOnlyList<string> Children, ZNodeStat Stat);

/// <summary>The result of a read that also left a one-shot watch: the value, and the watch's single event.</summary>
/// <param name="Value">What the read returned.</param>
/// <param name="WatchEvent">
/// Completes once, with the first event the watch sees; or with a <see cref="WatchEventType.None"/> event whose
/// state is <see cref="ZooKeeperState.Expired"/> or <see cref="ZooKeeperState.Closed"/> if the session ends first.
/// </param>
public sealed record Watched<T>(T Value, Task<WatchedEvent> WatchEvent);
