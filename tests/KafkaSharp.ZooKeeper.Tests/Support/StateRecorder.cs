using System.Collections.Concurrent;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>Records a client's state changes in order and lets a test await one, with a bound.</summary>
public sealed class StateRecorder : IDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ConcurrentDictionary<ZooKeeperState, TaskCompletionSource> _seen = new();
    private readonly ConcurrentQueue<ZooKeeperState> _history = new();

    public StateRecorder(ZooKeeperClient client)
    {
        _client = client;
        _client.StateChanged += OnStateChanged;
    }

    public IReadOnlyList<ZooKeeperState> History => [.. _history];

    /// <summary>Completes once the state has been seen (now or earlier); throws TimeoutException after the bound.</summary>
    public Task WaitForAsync(ZooKeeperState state, TimeSpan timeout) => Signal(state).Task.WaitAsync(timeout);

    public void Dispose() => _client.StateChanged -= OnStateChanged;

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        _history.Enqueue(e.State);
        Signal(e.State).TrySetResult();
    }

    private TaskCompletionSource Signal(ZooKeeperState state) =>
        _seen.GetOrAdd(state, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
