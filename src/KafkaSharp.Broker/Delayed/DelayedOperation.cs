namespace KafkaSharp.Broker.Delayed;

/// <summary>
/// A request that waits for a condition (data to fetch, the high watermark to pass an offset) or its timeout, as
/// Kafka's DelayedOperation. It completes exactly once: when <see cref="IsSatisfied"/> first holds on a check that an
/// append or high-watermark move triggers, when its timer fires, or when its connection goes away. Nothing polls:
/// the purgatory checks it only when one of its keys changes.
/// </summary>
public abstract class DelayedOperation
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private CancellationTokenRegistration _cancellation;
    private int _completed;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Completes with true when satisfied, false when it expired (or its connection closed).</summary>
    public Task<bool> Completion => _completion.Task;

    /// <summary>Whether the operation can complete now. Must be cheap and must not block: it runs on the appender.</summary>
    protected abstract bool IsSatisfied();

    /// <summary>Checks the condition and completes when it holds. True when the operation is (now) complete.</summary>
    public bool TryComplete()
    {
        if (IsCompleted)
        {
            return true;
        }

        return IsSatisfied() && Complete(satisfied: true);
    }

    /// <summary>Completes the operation whatever its condition; false when something else completed it first.</summary>
    public bool Complete(bool satisfied)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _timer?.Dispose();
        _cancellation.Dispose();
        _completion.TrySetResult(satisfied);
        return true;
    }

    /// <summary>Arms the expiry timer (a timer-queue entry, not a thread) and ties the operation to its connection.</summary>
    internal void Arm(TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(static state => ((DelayedOperation)state!).Complete(satisfied: false), this, timeout, Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static state => ((DelayedOperation)state!).Complete(satisfied: false), this);
        }

        if (IsCompleted)
        {
            // Completed between the last check and arming: the timer must not outlive it.
            _timer.Dispose();
            _cancellation.Dispose();
        }
    }
}
