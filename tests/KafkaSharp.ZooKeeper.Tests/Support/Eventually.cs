namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>Polls a condition until it holds, failing after a bound.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {timeout}: {what}");
            }
        }
    }
}
