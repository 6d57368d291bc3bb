using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>
/// Runs watcher callbacks and state-change handlers one at a time, in the order the events happened, on a loop of
/// their own: the connection's reader never waits for user code, and user code sees events in order.
/// </summary>
internal sealed partial class EventDispatcher : IAsyncDisposable
{
    [ThreadStatic]
    private static bool t_dispatching;

    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>True while a callback runs on this thread: disposing from inside one must not wait for itself.</summary>
    public static bool IsDispatching => t_dispatching;

    public void Post(Action action) => _queue.Writer.TryWrite(action);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (!t_dispatching)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        await foreach (Action action in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            t_dispatching = true;
            try
            {
                action();
            }
            catch (Exception e)
            {
                LogCallbackFailed(e);
            }
            finally
            {
                t_dispatching = false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ZooKeeper watcher or state handler threw.")]
    private partial void LogCallbackFailed(Exception exception);
}
