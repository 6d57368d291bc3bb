namespace KafkaSharp.Storage.Tests.Support;

/// <summary>A clock the test moves by hand; timers still run on real time (tests use delays of 0).</summary>
public sealed class ManualTimeProvider(long startMs = 1_700_000_000_000) : TimeProvider
{
    private long _nowMs = startMs;

    public long NowMs => Volatile.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public void Advance(long ms) => Interlocked.Add(ref _nowMs, ms);
}
