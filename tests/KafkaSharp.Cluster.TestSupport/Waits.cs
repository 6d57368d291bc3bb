using System.Diagnostics;

namespace KafkaSharp.Cluster.TestSupport;

/// <summary>Bounded polling: every wait has a timeout and names what it waited for when it fails.</summary>
public static class Waits
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="interval"/> (100 ms) until it holds. Exceptions from
    /// the condition count as "not yet" (a broker still starting refuses connections); the last one is attached to
    /// the <see cref="TimeoutException"/> thrown after <paramref name="timeout"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        TimeSpan limit = timeout ?? DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await condition().WaitAsync(limit, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }

            if (elapsed.Elapsed >= limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}.", last);
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?, TimeSpan?, CancellationToken)"/>, returning the first value <paramref name="accept"/> takes.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        T result = default!;
        await UntilAsync(async () =>
        {
            result = await probe().ConfigureAwait(false);
            return accept(result);
        }, what, timeout).ConfigureAwait(false);
        return result;
    }
}
