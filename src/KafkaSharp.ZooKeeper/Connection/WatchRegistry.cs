namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>
/// The client's side of its watches: for each table, which watchers wait on which path (client paths, relative to
/// the chroot). A watcher registered twice on one path is held once and fires once, as in ZooKeeper's own client.
/// Every watch is one-shot: firing removes it.
/// </summary>
internal sealed class WatchRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _child = new(StringComparer.Ordinal);

    public void Register(WatchKind kind, string path, Action<WatchedEvent> watcher)
    {
        lock (_lock)
        {
            Dictionary<string, HashSet<Action<WatchedEvent>>> table = Table(kind);
            if (!table.TryGetValue(path, out HashSet<Action<WatchedEvent>>? watchers))
            {
                watchers = [];
                table[path] = watchers;
            }

            watchers.Add(watcher);
        }
    }

    /// <summary>Removes and returns the watchers a node event fires, following ZooKeeper's rules per event type.</summary>
    public List<Action<WatchedEvent>> Trigger(WatchEventType type, string path)
    {
        var fired = new List<Action<WatchedEvent>>();
        lock (_lock)
        {
            switch (type)
            {
                case WatchEventType.NodeCreated:
                case WatchEventType.NodeDataChanged:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    break;
                case WatchEventType.NodeDeleted:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    Take(_child, path, fired);
                    break;
                case WatchEventType.NodeChildrenChanged:
                    Take(_child, path, fired);
                    break;
                default:
                    break;
            }
        }

        return fired;
    }

    /// <summary>Removes and returns every watcher with its path, for the session's end.</summary>
    public List<(string Path, Action<WatchedEvent> Watcher)> TakeAll()
    {
        var all = new List<(string, Action<WatchedEvent>)>();
        lock (_lock)
        {
            foreach (Dictionary<string, HashSet<Action<WatchedEvent>>> table in new[] { _data, _exist, _child })
            {
                foreach ((string path, HashSet<Action<WatchedEvent>> watchers) in table)
                {
                    foreach (Action<WatchedEvent> watcher in watchers)
                    {
                        all.Add((path, watcher));
                    }
                }

                table.Clear();
            }
        }

        return all;
    }

    /// <summary>The watched paths of each table, to re-register on a new server.</summary>
    public (List<string> Data, List<string> Exist, List<string> Child) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys]);
        }
    }

    public int Count(WatchKind kind, string path)
    {
        lock (_lock)
        {
            return Table(kind).TryGetValue(path, out HashSet<Action<WatchedEvent>>? watchers) ? watchers.Count : 0;
        }
    }

    private Dictionary<string, HashSet<Action<WatchedEvent>>> Table(WatchKind kind) => kind switch
    {
        WatchKind.Data => _data,
        WatchKind.Exist => _exist,
        _ => _child,
    };

    private static void Take(Dictionary<string, HashSet<Action<WatchedEvent>>> table, string path, List<Action<WatchedEvent>> into)
    {
        if (table.Remove(path, out HashSet<Action<WatchedEvent>>? watchers))
        {
            foreach (Action<WatchedEvent> watcher in watchers)
            {
                // The same watcher on two tables of one path (getData and getChildren) still hears one event.
                if (!into.Contains(watcher))
                {
                    into.Add(watcher);
                }
            }
        }
    }
}
