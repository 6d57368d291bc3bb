using System.Collections.Concurrent;

namespace KafkaSharp.Broker.Delayed;

/// <summary>
/// Where delayed operations wait, watched under each key they depend on (a partition), as Kafka's
/// DelayedOperationPurgatory. Whoever changes a key (an append, a high-watermark move, a log-start move) calls
/// <see cref="CheckAndComplete"/>; expiry is each operation's own timer. Locks guard only the watcher lists, never
/// the checks themselves, so an appender never waits for a slow check of another partition.
/// </summary>
public sealed class DelayedOperationPurgatory<TKey>
    where TKey : notnull
{
    // Completed operations stay in the lists of keys that did not trigger them until the next add or check there.
    private const int PurgeThreshold = 32;

    private readonly ConcurrentDictionary<TKey, Watchers> _watchers = new();
    private readonly TimeProvider _time;

    public DelayedOperationPurgatory(TimeProvider time) => _time = time;

    /// <summary>Operations currently watched under some key (complete or not, until purged); for tests and metrics.</summary>
    public int WatchedCount(TKey key) => _watchers.TryGetValue(key, out Watchers? w) ? w.Count : 0;

    /// <summary>
    /// Completes the operation if it can complete now; otherwise watches it under every key and arms its timer. The
    /// check after watching closes the window in which a change between the first check and the watch would be missed.
    /// </summary>
    public bool TryCompleteElseWatch(DelayedOperation operation, IEnumerable<TKey> keys, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(keys);
        if (operation.TryComplete())
        {
            return true;
        }

        foreach (TKey key in keys)
        {
            _watchers.GetOrAdd(key, static _ => new Watchers()).Add(operation);
        }

        if (operation.TryComplete())
        {
            return true;
        }

        operation.Arm(_time, timeout, cancellationToken);
        return false;
    }

    /// <summary>Checks every operation watched under <paramref name="key"/>; returns how many completed.</summary>
    public int CheckAndComplete(TKey key)
    {
        if (!_watchers.TryGetValue(key, out Watchers? watchers))
        {
            return 0;
        }

        int completed = 0;
        foreach (DelayedOperation operation in watchers.Snapshot())
        {
            if (!operation.IsCompleted && operation.TryComplete())
            {
                completed++;
            }
        }

        watchers.Purge();
        return completed;
    }

    private sealed class Watchers
    {
        private readonly List<DelayedOperation> _operations = [];
        private readonly Lock _lock = new();

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _operations.Count;
                }
            }
        }

        public void Add(DelayedOperation operation)
        {
            lock (_lock)
            {
                if (_operations.Count >= PurgeThreshold)
                {
                    _operations.RemoveAll(static o => o.IsCompleted);
                }

                _operations.Add(operation);
            }
        }

        public DelayedOperation[] Snapshot()
        {
            lock (_lock)
            {
                return _operations.Count == 0 ? [] : [.. _operations];
            }
        }

        public void Purge()
        {
            lock (_lock)
            {
                _operations.RemoveAll(static o => o.IsCompleted);
            }
        }
    }
}
