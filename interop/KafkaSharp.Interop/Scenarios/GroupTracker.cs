using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>Follows one group member's events: its current assignment and every record it was given.</summary>
public sealed class GroupTracker : IAsyncDisposable
{
    private readonly IGroupMember _member;
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private int[] _assigned = [];
    private readonly List<JsonObject> _records = [];
    private Exception? _failure;

    private GroupTracker(string name, IGroupMember member)
    {
        Name = name;
        _member = member;
        _reader = Task.Run(ReadAsync);
    }

    public string Name { get; }

    public bool Closed { get; private set; }

    public int[] Assigned
    {
        get
        {
            lock (_gate)
            {
                return _assigned;
            }
        }
    }

    public JsonObject[] Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public static Task<GroupTracker> JoinAsync(ScenarioContext ctx, string name, string topic, string group, int? stopAfter = null) =>
        JoinAsync(ctx.Client, name, topic, group, "range", stopAfter, ctx.Cancellation);

    public static async Task<GroupTracker> JoinAsync(IInteropClient client, string name, string topic, string group, string assignor,
        int? stopAfter, CancellationToken cancellation)
    {
        var arguments = new JsonObject { ["topic"] = topic, ["group"] = group, ["assignor"] = assignor };
        if (stopAfter is int n)
        {
            arguments["stop_after"] = n;
        }

        return new GroupTracker(name, await client.JoinGroupAsync(arguments, cancellation));
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (JsonObject e in _member.ReadEventsAsync(_stop.Token))
            {
                lock (_gate)
                {
                    switch (e["event"]!.GetValue<string>())
                    {
                        case "assigned":
                            _assigned = [.. e["partitions"]!.AsArray().Select(p => p!.GetValue<int>())];
                            break;
                        case "revoked":
                            _assigned = [];
                            break;
                        case "record":
                            _records.Add(e);
                            break;
                        case "closed":
                            Closed = true;
                            break;
                        default:
                            break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Rethrows what stopped the member early (e.g. "unsupported", or the client's error).</summary>
    public void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }

    public Task LeaveAsync() => _member.LeaveAsync();

    public static Task WaitAsync(ScenarioContext ctx, IReadOnlyList<GroupTracker> members, Func<bool> condition, TimeSpan within, string what) =>
        WaitAsync(members, condition, within, what, ctx.Cancellation);

    public static async Task WaitAsync(IReadOnlyList<GroupTracker> members, Func<bool> condition, TimeSpan within, string what, CancellationToken cancellation)
    {
        DateTime deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            foreach (GroupTracker m in members)
            {
                m.ThrowIfFailed();
            }

            if (DateTime.UtcNow > deadline)
            {
                string state = string.Join("; ", members.Select(m => $"{m.Name}: assigned [{string.Join(',', m.Assigned)}], {m.Records.Length} records{(m.Closed ? ", closed" : "")}"));
                throw new ScenarioFailedException($"{what} did not happen within {within.TotalSeconds:0} s ({state})");
            }

            await Task.Delay(100, cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _member.DisposeAsync();
        await _stop.CancelAsync();
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
