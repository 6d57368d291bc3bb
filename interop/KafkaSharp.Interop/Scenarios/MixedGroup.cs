using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;
using KafkaSharp.Interop.Results;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>
/// One consumer group with a member from every client, all offering "roundrobin" (the one protocol name every client
/// here can offer: @platformatic/kafka offers nothing else), on a six-partition topic: whichever member leads
/// computes an assignment every other client must accept. Each member gets one partition; then the last member
/// leaves, the others rebalance over all six, and every record of both rounds is delivered exactly once.
/// </summary>
public static class MixedGroup
{
    public const string ScenarioName = "one group, a member from every client";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public static async Task<Outcome> RunAsync(IReadOnlyList<IInteropClient> clients, IInteropClient reference, string runId, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(180));
        CancellationToken token = timeout.Token;
        string topic = $"interop-mixed-group-{runId}";
        var clock = Stopwatch.StartNew();
        var members = new List<GroupTracker>();
        var observation = new JsonObject();
        try
        {
            await reference.StepAsync("create_topic", new JsonObject { ["topic"] = topic, ["partitions"] = 6 }, token);
            foreach (IInteropClient client in clients)
            {
                members.Add(await GroupTracker.JoinAsync(client, client.Name, topic, topic, "roundrobin", null, token));
            }

            int partitions = 6;
            await GroupTracker.WaitAsync(members, () => members.Sum(m => m.Assigned.Length) == partitions && members.SelectMany(m => m.Assigned).Distinct().Count() == partitions
                && members.All(m => m.Assigned.Length >= partitions / members.Count), Settle, $"{members.Count} members sharing {partitions} partitions", token);
            await reference.ProduceAsync(topic, Groups.PerPartition(partitions, 10, "first"), token);
            await GroupTracker.WaitAsync(members, () => Groups.Positions(members).Length >= 60, Settle, "60 records delivered to the group", token);

            GroupTracker leaving = members[^1];
            await leaving.LeaveAsync();
            GroupTracker[] staying = [.. members.Take(members.Count - 1)];
            await GroupTracker.WaitAsync(members, () => leaving.Closed && staying.SelectMany(m => m.Assigned).Distinct().Count() == partitions
                && staying.Sum(m => m.Assigned.Length) == partitions, Settle, $"the other members taking over {leaving.Name}'s partitions", token);
            await reference.ProduceAsync(topic, Groups.PerPartition(partitions, 10, "second"), token);
            await GroupTracker.WaitAsync(members, () => Groups.Positions(members).Length >= 120, Settle, "120 records delivered to the group", token);
            await Task.Delay(500, token);
            Groups.AssertExactlyOnce(members, 120);
            observation["members"] = members.Count;
            return new Outcome("every client", ScenarioName, Verdict.Pass, "", observation, [], clock.Elapsed);
        }
        catch (StepUnsupportedException e)
        {
            return new Outcome("every client", ScenarioName, Verdict.NotSupported, e.Message, observation, [], clock.Elapsed);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            string detail = e is OperationCanceledException ? "timed out after 180 s" : e.Message;
            return new Outcome("every client", ScenarioName, Verdict.Fail, detail, observation, [], clock.Elapsed);
        }
        finally
        {
            await Groups.DisposeAllAsync(members);
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await reference.StepAsync("delete_topic", new JsonObject { ["topic"] = topic }, cleanup.Token);
            }
            catch (Exception e) when (e is StepFailedException or OperationCanceledException)
            {
                // Best effort.
            }
        }
    }
}
