namespace KafkaSharp.Broker.Groups;

/// <summary>
/// Work decided under a group's lock that must run after it is released: appends to <c>__consumer_offsets</c> and
/// what follows them. The holder of the lock adds; whoever released it runs them.
/// </summary>
internal sealed class Deferred
{
    private List<Func<Task>>? _work;

    public void Add(Func<Task> work) => (_work ??= []).Add(work);

    public async Task RunAsync()
    {
        if (_work is null)
        {
            return;
        }

        foreach (Func<Task> work in _work)
        {
            await work().ConfigureAwait(false);
        }
    }

    /// <summary>For timer callbacks, which cannot await: runs the work on the thread pool.</summary>
    public void RunInBackground()
    {
        if (_work is not null)
        {
            _ = Task.Run(RunAsync);
        }
    }
}
