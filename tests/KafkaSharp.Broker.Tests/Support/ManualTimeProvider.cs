namespace KafkaSharp.Broker.Tests.Support;

/// <summary>
/// A clock the test moves by hand, with timers: a timer fires when <see cref="Advance"/> passes its due time (its
/// callback runs on the calling thread, outside any lock here). A timer due now (0 ms) fires on the thread pool at
/// once, as the system clock's would, so code that schedules "immediately" behaves the same.
/// </summary>
internal sealed class ManualTimeProvider(long startMs = 1_700_000_000_000) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _nowMs = startMs;

    public long NowMs => Volatile.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(long ms)
    {
        long target = NowMs + ms;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueMs <= target).MinBy(t => t.DueMs);
                if (next is null)
                {
                    Volatile.Write(ref _nowMs, target);
                    return;
                }

                Volatile.Write(ref _nowMs, Math.Max(NowMs, next.DueMs));
                next.Disarm(_timers);
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private long _periodMs = -1;

        public long DueMs { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                _periodMs = period == Timeout.InfiniteTimeSpan ? -1 : (long)period.TotalMilliseconds;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    DueMs = long.MaxValue;
                    return true;
                }

                long due = (long)dueTime.TotalMilliseconds;
                if (due <= 0)
                {
                    DueMs = long.MaxValue;
                    ThreadPool.QueueUserWorkItem(_ => Fire());
                    return true;
                }

                DueMs = clock.NowMs + due;
                clock._timers.Add(this);
                return true;
            }
        }

        public void Disarm(List<ManualTimer> timers)
        {
            timers.Remove(this);
            if (_periodMs > 0)
            {
                DueMs += _periodMs;
                timers.Add(this);
            }
            else
            {
                DueMs = long.MaxValue;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                DueMs = long.MaxValue;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
