using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>Produce the canonical records (keys, headers, timestamps) and read them back with the same client.</summary>
public sealed class RoundTripScenario : IScenario
{
    public string Name => "produce/consume round trip";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("roundtrip", 2);
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Rec[] records = Rec.Canonical(1, 1_700_000_000_000);
        Steps.Produced produced = await ctx.Client.ProduceAsync(topic, records, ctx.Cancellation);
        JsonArray consumed = await ctx.Client.ConsumeAsync(topic, 1, 0, records.Length, ctx.Cancellation);
        Steps.AssertSame(records, consumed, 0, produced.TimestampsSet, ctx.Client.Name, start);
        // The reference reads what this client wrote, and checks the partition really is 1 (and 0 stayed empty).
        Steps.AssertSame(records, await ctx.Reference.ConsumeAsync(topic, 1, 0, records.Length, ctx.Cancellation), 0, produced.TimestampsSet, "reference", start);
        ScenarioContext.Equal((0L, 0L), await ctx.Reference.WatermarksAsync(topic, 0, ctx.Cancellation), "partition 0 watermarks");
        ctx.Observation["records"] = Json.Array(consumed, r => Rec.Content(r!));
    }
}

/// <summary>Ten records in one codec, read back by this client (decompression) and by the reference.</summary>
public sealed class CompressionScenario(string codec) : IScenario
{
    public string Name => $"compression {codec}";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync($"codec-{codec}", 1);
        Rec[] records = [.. Enumerable.Range(0, 10).Select(i => Rec.Text(0, $"key-{i}", $"{codec} value {i} " + new string('x', 200), 1_700_000_000_000 + i, ("codec", codec)))];
        Steps.Produced produced = await ctx.Client.ProduceAsync(topic, records, ctx.Cancellation, codec);
        Steps.AssertSame(records, await ctx.Reference.ConsumeAsync(topic, 0, 0, records.Length, ctx.Cancellation), 0, produced.TimestampsSet, "reference");
        Steps.AssertSame(records, await ctx.Client.ConsumeAsync(topic, 0, 0, records.Length, ctx.Cancellation), 0, produced.TimestampsSet, ctx.Client.Name);
        ctx.Observation["records"] = records.Length;
    }
}

/// <summary>A 1 MiB value on a topic whose max.message.bytes is raised to 2 MiB.</summary>
public sealed class LargeRecordScenario : IScenario
{
    public string Name => "1 MiB record";

    public TimeSpan Timeout => TimeSpan.FromSeconds(90);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("large", 1, new JsonObject { ["max.message.bytes"] = "2097152" });
        byte[] value = new byte[1024 * 1024];
        new Random(11).NextBytes(value);
        Rec[] records = [new(0, "large"u8.ToArray(), value, [("size", "1048576"u8.ToArray())], 1_700_000_000_000)];
        Steps.Produced produced = await ctx.Client.ProduceAsync(topic, records, ctx.Cancellation);
        Steps.AssertSame(records, await ctx.Client.ConsumeAsync(topic, 0, 0, 1, ctx.Cancellation, 30_000), 0, produced.TimestampsSet, ctx.Client.Name);
        ctx.Observation["size"] = value.Length;
    }
}

/// <summary>
/// 20 keys twice each, no partition given, on 12 partitions: the client's default partitioner must send a key to
/// the same partition every time. Which hash it matches is recorded (murmur2 as Java, librdkafka's crc32, ...).
/// </summary>
public sealed class KeyPartitioningScenario : IScenario
{
    private const int Partitions = 12;

    public string Name => "key partitioning";

    public TimeSpan Timeout => TimeSpan.FromSeconds(90);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("keys", Partitions);
        string[] keys = [.. Enumerable.Range(0, 20).Select(i => $"user-{i}")];
        Rec[] records = [.. keys.Concat(keys).Select((k, i) => Rec.Text(null, k, $"v{i}", null))];
        await ctx.Client.ProduceAsync(topic, records, ctx.Cancellation);

        // Where each record landed, read back from every partition with the reference client.
        var placement = new Dictionary<string, HashSet<int>>();
        int total = 0;
        for (int p = 0; p < Partitions; p++)
        {
            (_, long high) = await ctx.Reference.WatermarksAsync(topic, p, ctx.Cancellation);
            if (high == 0)
            {
                continue;
            }

            foreach (JsonNode? r in await ctx.Reference.ConsumeAsync(topic, p, 0, (int)high, ctx.Cancellation))
            {
                string key = System.Text.Encoding.UTF8.GetString(Json.Unhex(r!["key"])!);
                (placement.TryGetValue(key, out HashSet<int>? set) ? set : placement[key] = []).Add(p);
                total++;
            }
        }

        ScenarioContext.Equal(records.Length, total, "records found across the partitions");
        string[] split = [.. placement.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key}→[{string.Join(',', kv.Value)}]")];
        ScenarioContext.Check(split.Length == 0, $"keys spread over several partitions: {string.Join(' ', split)}");
        Dictionary<string, int> mapping = placement.ToDictionary(kv => kv.Key, kv => kv.Value.Single());
        string family = Partitioners.Identify(mapping, Partitions);
        ctx.Observation["partitioner"] = family;
        ctx.Observation["mapping"] = new JsonObject([.. mapping.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        ScenarioContext.Check(mapping.Values.Distinct().Count() > 1, "every key landed in one partition: keys are not being hashed");
    }
}

/// <summary>offsetsForTimes: the first record at or after a timestamp, -1 past the end, then reading from there.</summary>
public sealed class SeekByTimestampScenario : IScenario
{
    public string Name => "seek by timestamp";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("seek-time", 1);
        const long t0 = 1_700_000_000_000;
        Rec[] records = [.. Enumerable.Range(0, 10).Select(i => Rec.Text(0, $"k{i}", $"v{i}", t0 + (i * 1000)))];
        await ctx.Reference.ProduceAsync(topic, records, ctx.Cancellation);

        long Find(JsonObject o) => o.Long("offset");
        long between = Find(await ctx.StepAsync("offset_for_time", new JsonObject { ["topic"] = topic, ["partition"] = 0, ["timestamp"] = t0 + 3500 }));
        long exact = Find(await ctx.StepAsync("offset_for_time", new JsonObject { ["topic"] = topic, ["partition"] = 0, ["timestamp"] = t0 + 6000 }));
        long after = Find(await ctx.StepAsync("offset_for_time", new JsonObject { ["topic"] = topic, ["partition"] = 0, ["timestamp"] = t0 + 100_000 }));
        ScenarioContext.Equal(4L, between, "offset for a timestamp between records 3 and 4");
        ScenarioContext.Equal(6L, exact, "offset for record 6's exact timestamp");
        // Kafka answers offset -1 when no record is that late; clients show it as -1 (or the end offset, 10).
        ScenarioContext.Check(after is -1 or 10, $"offset for a timestamp after every record: expected -1 (or end 10), got {after}");
        JsonArray read = await ctx.Client.ConsumeAsync(topic, 0, between, 1, ctx.Cancellation);
        ScenarioContext.Check(read.Count == 1, "nothing read at the offset found");
        ScenarioContext.Equal(t0 + 4000, read[0]!["timestamp"]!.GetValue<long>(), "timestamp of the record read there");
        ctx.Observation["offsets"] = new JsonArray(between, exact, after == 10 ? -1 : after);
    }
}

/// <summary>DeleteRecords up to offset 4: the low watermark moves, and reading starts there.</summary>
public sealed class DeleteRecordsScenario : IScenario
{
    public string Name => "delete records";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("delete-records", 1);
        Rec[] records = [.. Enumerable.Range(0, 10).Select(i => Rec.Text(0, $"k{i}", $"v{i}", 1_700_000_000_000 + i))];
        await ctx.Reference.ProduceAsync(topic, records, ctx.Cancellation);
        JsonObject deleted = await ctx.StepAsync("delete_records", new JsonObject { ["topic"] = topic, ["partition"] = 0, ["offset"] = 4 });
        ScenarioContext.Equal(4L, deleted.Long("low_watermark"), "low watermark returned by DeleteRecords");
        ScenarioContext.Equal((4L, 10L), await ctx.Client.WatermarksAsync(topic, 0, ctx.Cancellation), "watermarks after deleting");
        JsonArray read = await ctx.Reference.ConsumeAsync(topic, 0, 4, 6, ctx.Cancellation);
        Steps.AssertSame(records[4..], read, 4, true, "reference after delete");
        ctx.Observation["watermarks"] = new JsonArray(4, 10);
    }
}

/// <summary>
/// An idle consumer long-polls an empty partition (fetch.max.wait 500 ms, so several empty fetches), gets nothing
/// while nothing is produced, then gets the record produced 2 s later promptly.
/// </summary>
public sealed class LongPollScenario : IScenario
{
    public string Name => "idle long poll";

    public TimeSpan Timeout => TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioContext ctx)
    {
        string topic = await ctx.CreateTopicAsync("long-poll", 1);
        var clock = Stopwatch.StartNew();
        Task<JsonArray> waiting = ctx.Client.ConsumeAsync(topic, 0, 0, 1, ctx.Cancellation, timeoutMs: 25_000, maxWaitMs: 500);
        await Task.Delay(TimeSpan.FromSeconds(3), ctx.Cancellation);
        ScenarioContext.Check(!waiting.IsCompleted, $"the consumer returned before anything was produced: {(waiting.IsCompletedSuccessfully ? waiting.Result.ToJsonString() : waiting.Exception?.GetBaseException().Message)}");
        Rec[] record = [Rec.Text(0, "late", "produced while the consumer waited", 1_700_000_000_000)];
        await ctx.Reference.ProduceAsync(topic, record, ctx.Cancellation);
        TimeSpan produced = clock.Elapsed;
        JsonArray read = await waiting;
        TimeSpan received = clock.Elapsed - produced;
        Steps.AssertSame(record, read, 0, true, ctx.Client.Name);
        // Generous: a waiting fetch should answer at once; the bound only catches "only at the next session".
        ScenarioContext.Check(received < TimeSpan.FromSeconds(10), $"the record arrived {received.TotalSeconds:0.0} s after it was produced");
        ctx.Observation["received"] = true;
    }
}
