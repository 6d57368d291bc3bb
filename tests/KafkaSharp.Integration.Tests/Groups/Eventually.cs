namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>Bounded polling for conditions that real clients reach asynchronously (rebalances, deliveries).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? describe = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, describe);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not reached within {limit}: {describe?.Invoke() ?? "condition"}");
            }
        }
    }
}
