using KafkaSharp.Broker.Delayed;

namespace KafkaSharp.Broker.Tests.Fetch;

/// <summary>The purgatory that long-poll fetches and acks=-1 produces wait in.</summary>
public sealed class DelayedOperationPurgatoryTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryCompleteElseWatch_CompletesAtOnce_WhenAlreadySatisfied()
    {
        var purgatory = new DelayedOperationPurgatory<string>(TimeProvider.System);
        var operation = new Flag { Ready = true };

        Assert.True(purgatory.TryCompleteElseWatch(operation, ["a"], TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(operation.Completion.IsCompletedSuccessfully && operation.Completion.Result);
        Assert.Equal(0, purgatory.WatchedCount("a"));
    }

    [Fact]
    public async Task CheckAndComplete_CompletesTheWaitingOperation_WhenItsKeyChanges()
    {
        var purgatory = new DelayedOperationPurgatory<string>(TimeProvider.System);
        var operation = new Flag();
        Assert.False(purgatory.TryCompleteElseWatch(operation, ["a", "b"], TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(0, purgatory.CheckAndComplete("a"));
        operation.Ready = true;
        Assert.Equal(1, purgatory.CheckAndComplete("b"));

        Assert.True(await operation.Completion.WaitAsync(s_bound));
        Assert.Equal(0, purgatory.WatchedCount("b"));
        Assert.Equal(0, purgatory.CheckAndComplete("a")); // already complete: checked no more, and purged
        Assert.Equal(0, purgatory.WatchedCount("a"));
    }

    [Fact]
    public async Task Completion_IsFalse_WhenTheTimeoutPassesFirst()
    {
        var purgatory = new DelayedOperationPurgatory<string>(TimeProvider.System);
        var operation = new Flag();

        purgatory.TryCompleteElseWatch(operation, ["a"], TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.False(await operation.Completion.WaitAsync(s_bound));
        operation.Ready = true;
        Assert.Equal(0, purgatory.CheckAndComplete("a"));
    }

    [Fact]
    public async Task Completion_IsFalse_WhenTheConnectionGoesAway()
    {
        var purgatory = new DelayedOperationPurgatory<string>(TimeProvider.System);
        var operation = new Flag();
        using var connection = new CancellationTokenSource();

        purgatory.TryCompleteElseWatch(operation, ["a"], TimeSpan.FromSeconds(30), connection.Token);
        await connection.CancelAsync();

        Assert.False(await operation.Completion.WaitAsync(s_bound));
    }

    private sealed class Flag : DelayedOperation
    {
        public volatile bool Ready;

        protected override bool IsSatisfied() => Ready;
    }
}
