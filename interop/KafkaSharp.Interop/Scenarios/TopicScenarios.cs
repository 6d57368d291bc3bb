using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>Metadata: the broker list, and a 3-partition topic with every partition led by a listed broker.</summary>
public sealed class MetadataScenario : IScenario
{
    public string Name => "metadata";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("metadata", 3);
        JsonObject md = await ctx.StepAsync("metadata", new JsonObject { ["topics"] = new JsonArray(topic) });
        JsonArray brokers = md["brokers"]!.AsArray();
        ScenarioContext.Check(brokers.Count >= 1, "no broker listed");
        HashSet<int> ids = [.. brokers.Select(b => b!["id"]!.GetValue<int>())];
        foreach (JsonNode? b in brokers)
        {
            ScenarioContext.Check(b!["host"]!.GetValue<string>().Length > 0 && b["port"]!.GetValue<int>() > 0, $"broker without an address: {b.ToJsonString()}");
        }

        JsonNode? t = md["topics"]!.AsArray().FirstOrDefault(x => x!["name"]!.GetValue<string>() == topic);
        ScenarioContext.Check(t is not null, $"topic {topic} not in the metadata");
        int[] partitions = [.. t!["partitions"]!.AsArray().Select(p => p!["partition"]!.GetValue<int>()).Order()];
        ScenarioContext.Check(partitions.SequenceEqual([0, 1, 2]), $"partitions [{string.Join(',', partitions)}], expected [0,1,2]");
        foreach (JsonNode? p in t["partitions"]!.AsArray())
        {
            int leader = p!["leader"]!.GetValue<int>();
            ScenarioContext.Check(ids.Contains(leader), $"partition {p["partition"]} led by {leader}, not a listed broker");
        }

        ctx.Observation["broker_count"] = brokers.Count;
        ctx.Observation["partitions"] = new JsonArray([.. partitions.Select(p => (JsonNode)p)]);
    }
}

/// <summary>Create (with a config), create again (TOPIC_ALREADY_EXISTS, 36), delete, and the topic is gone.</summary>
public sealed class TopicAdminScenario : IScenario
{
    private const int TopicAlreadyExists = 36;

    public string Name => "create/describe/delete topic";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = ctx.TrackTopic(ctx.Name("admin"));
        var create = new JsonObject { ["topic"] = topic, ["partitions"] = 4, ["configs"] = new JsonObject { ["retention.ms"] = "123456789" } };
        await ctx.StepAsync("create_topic", create);
        await ctx.EventuallyAsync(async () => await PartitionCountAsync(ctx, ctx.Client, topic) == 4, TimeSpan.FromSeconds(10), "4 partitions in the client's metadata");

        JsonObject configs = await ctx.Reference.StepAsync("describe_configs", new JsonObject { ["topic"] = topic }, ctx.Cancellation);
        ScenarioContext.Equal("123456789", configs["configs"]?["retention.ms"]?.GetValue<string>(), "retention.ms set at creation");

        int? again = null;
        try
        {
            await ctx.StepAsync("create_topic", (JsonObject)create.DeepClone());
        }
        catch (Clients.StepFailedException e)
        {
            again = e.ErrorCode ?? -1;
        }

        ScenarioContext.Equal<int?>(TopicAlreadyExists, again, "error code creating an existing topic");
        await ctx.StepAsync("delete_topic", new JsonObject { ["topic"] = topic });
        await ctx.EventuallyAsync(async () => await PartitionCountAsync(ctx, ctx.Client, topic) == 0, TimeSpan.FromSeconds(10), "the deleted topic leaving the client's metadata");
        ctx.Observation["create_again_error"] = again;
    }

    /// <summary>The topic's partitions as <paramref name="client"/> describes it (0 when it does not know the topic).</summary>
    private static async Task<int> PartitionCountAsync(ScenarioContext ctx, Clients.IInteropClient client, string topic)
    {
        JsonObject md;
        try
        {
            md = await client.StepAsync("metadata", new JsonObject { ["topics"] = new JsonArray(topic) }, ctx.Cancellation);
        }
        catch (Clients.StepFailedException)
        {
            return 0;
        }

        JsonNode? t = md["topics"]!.AsArray().FirstOrDefault(x => x!["name"]!.GetValue<string>() == topic && x["error"] is null);
        return t?["partitions"]!.AsArray().Count ?? 0;
    }
}

/// <summary>Describe configs: values set at creation, and Kafka's defaults for the rest.</summary>
public sealed class DescribeConfigsScenario : IScenario
{
    public string Name => "describe configs";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("configs", 1, new JsonObject { ["retention.ms"] = "123456789", ["cleanup.policy"] = "compact" });
        JsonObject configs = (await ctx.StepAsync("describe_configs", new JsonObject { ["topic"] = topic }))["configs"]!.AsObject();
        var expected = new Dictionary<string, string>
        {
            ["retention.ms"] = "123456789",
            ["cleanup.policy"] = "compact",
            // Kafka 3.9's topic-level defaults (from the broker defaults).
            ["max.message.bytes"] = "1048588",
            ["segment.bytes"] = "1073741824",
            ["min.insync.replicas"] = "1",
            ["compression.type"] = "producer",
        };
        foreach ((string name, string value) in expected)
        {
            ScenarioContext.Equal(value, configs[name]?.GetValue<string>(), name);
            ctx.Observation[name] = value;
        }
    }
}
