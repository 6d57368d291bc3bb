namespace KafkaSharp.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Reads the node's data and leaves a one-shot watch whose single event completes
    /// <see cref="Watched{T}.WatchEvent"/>: NodeDataChanged or NodeDeleted.
    /// </summary>
    public async Task<Watched<ZNodeData>> GetDataAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        (Action<WatchedEvent> watcher, Task<WatchedEvent> fired) = OneShotWatcher();
        ZNodeData value = await GetDataAsync(path, watcher, cancellationToken).ConfigureAwait(false);
        return new Watched<ZNodeData>(value, fired);
    }

    /// <summary>
    /// Checks the node and leaves a one-shot watch: NodeCreated if it was absent; NodeDataChanged or NodeDeleted if
    /// it was present.
    /// </summary>
    public async Task<Watched<ZNodeStat?>> ExistsAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        (Action<WatchedEvent> watcher, Task<WatchedEvent> fired) = OneShotWatcher();
        ZNodeStat? value = await ExistsAsync(path, watcher, cancellationToken).ConfigureAwait(false);
        return new Watched<ZNodeStat?>(value, fired);
    }

    /// <summary>Lists the children and leaves a one-shot watch: NodeChildrenChanged or NodeDeleted.</summary>
    public async Task<Watched<IReadOnlyList<string>>> GetChildrenAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        (Action<WatchedEvent> watcher, Task<WatchedEvent> fired) = OneShotWatcher();
        IReadOnlyList<string> value = await GetChildrenAsync(path, watcher, cancellationToken).ConfigureAwait(false);
        return new Watched<IReadOnlyList<string>>(value, fired);
    }

    private static (Action<WatchedEvent> Watcher, Task<WatchedEvent> Fired) OneShotWatcher()
    {
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (e => fired.TrySetResult(e), fired.Task);
    }
}
