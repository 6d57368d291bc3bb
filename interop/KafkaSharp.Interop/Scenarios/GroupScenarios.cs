using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>Helpers shared by the consumer-group scenarios.</summary>
internal static class Groups
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    public static Rec[] PerPartition(int partitions, int each, string tag) =>
        [.. Enumerable.Range(0, partitions * each).Select(i => Rec.Text(i % partitions, $"{tag}-{i}", $"{tag} value {i}", 1_700_000_000_000 + i))];

    public static (int Partition, long Offset)[] Positions(IEnumerable<GroupTracker> members) =>
        [.. members.SelectMany(m => m.Records).Select(r => (r["partition"]!.GetValue<int>(), r["offset"]!.GetValue<long>()))];

    public static void AssertExactlyOnce(IEnumerable<GroupTracker> members, int expected)
    {
        (int Partition, long Offset)[] all = Positions(members);
        var duplicates = all.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{g.Key.Partition}@{g.Key.Offset}×{g.Count()}").ToArray();
        ScenarioContext.Check(duplicates.Length == 0, $"records delivered more than once to the group: {string.Join(' ', duplicates.Take(10))}");
        ScenarioContext.Equal(expected, all.Length, "records delivered to the group");
    }

    public static async Task DisposeAllAsync(IEnumerable<GroupTracker> members)
    {
        foreach (GroupTracker m in members)
        {
            await m.DisposeAsync();
        }
    }
}

/// <summary>
/// Three members split six partitions two each; one leaves and the other two take three each; no record is
/// delivered twice (commits are synchronous after each record) and every record is delivered.
/// </summary>
public sealed class GroupRebalanceScenario : IScenario
{
    public string Name => "group of 3, rebalance";

    public TimeSpan Timeout => TimeSpan.FromSeconds(150);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("group3", 6);
        string group = ctx.Name("group3");
        var members = new List<GroupTracker>();
        try
        {
            for (int i = 1; i <= 3; i++)
            {
                members.Add(await GroupTracker.JoinAsync(ctx, $"member{i}", topic, group));
            }

            await GroupTracker.WaitAsync(ctx, members, () => members.All(m => m.Assigned.Length == 2) && members.SelectMany(m => m.Assigned).Distinct().Count() == 6,
                Groups.Settle, "three members with two partitions each");
            await ctx.Reference.ProduceAsync(topic, Groups.PerPartition(6, 10, "first"), ctx.Cancellation);
            await GroupTracker.WaitAsync(ctx, members, () => Groups.Positions(members).Length >= 60, Groups.Settle, "60 records delivered to the group");

            await members[2].LeaveAsync();
            GroupTracker[] staying = [members[0], members[1]];
            await GroupTracker.WaitAsync(ctx, members, () => members[2].Closed && staying.All(m => m.Assigned.Length == 3) && staying.SelectMany(m => m.Assigned).Distinct().Count() == 6,
                Groups.Settle, "the two remaining members with three partitions each");
            await ctx.Reference.ProduceAsync(topic, Groups.PerPartition(6, 10, "second"), ctx.Cancellation);
            await GroupTracker.WaitAsync(ctx, members, () => Groups.Positions(members).Length >= 120, Groups.Settle, "120 records delivered to the group");
            await Task.Delay(500, ctx.Cancellation); // a duplicate would show up now
            Groups.AssertExactlyOnce(members, 120);
            ctx.Observation["assignment_sizes"] = new JsonArray(2, 2, 2);
            ctx.Observation["after_leave"] = new JsonArray(3, 3);
        }
        finally
        {
            await Groups.DisposeAllAsync(members);
        }
    }
}

/// <summary>A member reads 4 of 10 records (committing each) and closes; the next member of the group resumes at 4.</summary>
public sealed class CommitResumeScenario : IScenario
{
    public string Name => "commit and resume";

    public TimeSpan Timeout => TimeSpan.FromSeconds(120);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("resume", 1);
        string group = ctx.Name("resume");
        Rec[] records = Groups.PerPartition(1, 10, "resume");
        await ctx.Reference.ProduceAsync(topic, records, ctx.Cancellation);

        GroupTracker first = await GroupTracker.JoinAsync(ctx, "first", topic, group, stopAfter: 4);
        try
        {
            await GroupTracker.WaitAsync(ctx, [first], () => first.Closed, Groups.Settle, "the first member reading 4 records and closing");
            ScenarioContext.Equal(4, first.Records.Length, "records the first member read");
        }
        finally
        {
            await first.DisposeAsync();
        }

        JsonObject committed = await ctx.Reference.StepAsync("group_offsets", new JsonObject { ["group"] = group, ["topic"] = topic }, ctx.Cancellation);
        ScenarioContext.Equal(4L, committed["offsets"]?["0"]?.GetValue<long>(), "committed offset after the first member");

        GroupTracker second = await GroupTracker.JoinAsync(ctx, "second", topic, group);
        try
        {
            await GroupTracker.WaitAsync(ctx, [second], () => second.Records.Length >= 6, Groups.Settle, "the second member reading the remaining 6 records");
            await Task.Delay(300, ctx.Cancellation);
            Steps.AssertSame(records[4..], new JsonArray([.. second.Records.Select(r => r.DeepClone())]), 4, true, "second member");
        }
        finally
        {
            await second.DisposeAsync();
        }

        ctx.Observation["committed"] = 4;
    }
}

/// <summary>Two groups on one topic each receive every record (publish/subscribe).</summary>
public sealed class PubSubScenario : IScenario
{
    public string Name => "two groups (pub/sub)";

    public TimeSpan Timeout => TimeSpan.FromSeconds(120);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("pubsub", 2);
        GroupTracker[] members =
        [
            await GroupTracker.JoinAsync(ctx, "group A", topic, ctx.Name("pubsub-a")),
            await GroupTracker.JoinAsync(ctx, "group B", topic, ctx.Name("pubsub-b")),
        ];
        try
        {
            await GroupTracker.WaitAsync(ctx, members, () => members.All(m => m.Assigned.Length == 2), Groups.Settle, "each group's member owning both partitions");
            await ctx.Reference.ProduceAsync(topic, Groups.PerPartition(2, 10, "pubsub"), ctx.Cancellation);
            await GroupTracker.WaitAsync(ctx, members, () => members.All(m => m.Records.Length >= 20), Groups.Settle, "20 records in each group");
            foreach (GroupTracker m in members)
            {
                Groups.AssertExactlyOnce([m], 20);
            }

            ctx.Observation["per_group"] = 20;
        }
        finally
        {
            await Groups.DisposeAllAsync(members);
        }
    }
}

/// <summary>
/// ListGroups shows the group, DescribeGroups shows it Stable with its member and protocol, and after the member
/// leaves and 5 more records arrive, the committed offset (10) and the high watermark (15) give a lag of 5.
/// </summary>
public sealed class GroupsAndLagScenario : IScenario
{
    public string Name => "list/describe groups, lag";

    public TimeSpan Timeout => TimeSpan.FromSeconds(120);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("lag", 1);
        string group = ctx.Name("lag");
        await ctx.Reference.ProduceAsync(topic, Groups.PerPartition(1, 10, "lag"), ctx.Cancellation);
        GroupTracker member = await GroupTracker.JoinAsync(ctx, "member", topic, group);
        try
        {
            await GroupTracker.WaitAsync(ctx, [member], () => member.Records.Length >= 10, Groups.Settle, "the member reading 10 records");

            JsonObject listed = await ctx.StepAsync("list_groups", []);
            JsonNode? entry = listed["groups"]!.AsArray().FirstOrDefault(g => g!["group"]!.GetValue<string>() == group);
            ScenarioContext.Check(entry is not null, $"ListGroups does not show {group}");
            ScenarioContext.Equal("consumer", entry!["protocol_type"]?.GetValue<string>(), "protocol type in ListGroups");

            JsonObject described = await ctx.StepAsync("describe_group", new JsonObject { ["group"] = group });
            ScenarioContext.Equal("stable", described["state"]?.GetValue<string>().ToLowerInvariant(), "group state");
            ScenarioContext.Equal("consumer", described["protocol_type"]?.GetValue<string>(), "protocol type");
            // The members ask for "range"; @platformatic/kafka always offers its own assignor as "roundrobin".
            string? protocol = described["protocol"]?.GetValue<string>();
            ScenarioContext.Check(protocol is "range" or "roundrobin", $"protocol (assignor): expected range or roundrobin, got {protocol}");
            JsonArray describedMembers = described["members"]!.AsArray();
            ScenarioContext.Equal(1, describedMembers.Count, "members described");
            if (describedMembers[0]!["partitions"] is JsonArray parts)
            {
                ScenarioContext.Equal("[0]", parts.ToJsonString(), "the member's assignment");
            }

            await member.LeaveAsync();
            await GroupTracker.WaitAsync(ctx, [member], () => member.Closed, Groups.Settle, "the member closing");
        }
        finally
        {
            await member.DisposeAsync();
        }

        await ctx.Reference.ProduceAsync(topic, Groups.PerPartition(1, 5, "later"), ctx.Cancellation);
        JsonObject offsets = await ctx.StepOrReferenceAsync("group_offsets", new JsonObject { ["group"] = group, ["topic"] = topic });
        long committed = offsets["offsets"]?["0"]?.GetValue<long>() ?? -1;
        ScenarioContext.Equal(10L, committed, "committed offset");
        (_, long high) = await ctx.Client.WatermarksAsync(topic, 0, ctx.Cancellation);
        ScenarioContext.Equal(5L, high - committed, "lag (high watermark − committed)");
        ctx.Observation["state"] = "stable";
        ctx.Observation["lag"] = high - committed;
    }
}
