using System.Collections.Concurrent;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>A watcher callback that counts and keeps every event it receives, to prove one-shot delivery.</summary>
public sealed class WatchRecorder
{
    private readonly ConcurrentQueue<WatchedEvent> _events = new();
    private readonly TaskCompletionSource<WatchedEvent> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<WatchedEvent> Events => [.. _events];

    public Action<WatchedEvent> Watcher => OnEvent;

    public Task<WatchedEvent> FirstAsync(TimeSpan timeout) => _first.Task.WaitAsync(timeout);

    private void OnEvent(WatchedEvent e)
    {
        _events.Enqueue(e);
        _first.TrySetResult(e);
    }
}
