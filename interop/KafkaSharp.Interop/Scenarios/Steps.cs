using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>Typed calls of the common steps, with the checks every scenario needs.</summary>
public static class Steps
{
    public sealed record Produced(JsonArray Results, bool TimestampsSet);

    public static async Task<Produced> ProduceAsync(this IInteropClient client, string topic, IEnumerable<Rec> records, CancellationToken cancellation, string codec = "none")
    {
        JsonObject answer = await client.StepAsync("produce", new JsonObject
        {
            ["topic"] = topic,
            ["codec"] = codec,
            ["messages"] = Json.Array(records, r => r.ToJson()),
        }, cancellation);
        return new Produced(answer["results"]!.AsArray(), answer["timestamps_set"]?.GetValue<bool>() ?? true);
    }

    public static async Task<JsonArray> ConsumeAsync(this IInteropClient client, string topic, int partition, long offset, int count,
        CancellationToken cancellation, int timeoutMs = 20_000, int maxWaitMs = 500)
    {
        JsonObject answer = await client.StepAsync("consume", new JsonObject
        {
            ["topic"] = topic, ["partition"] = partition, ["offset"] = offset, ["count"] = count, ["timeout_ms"] = timeoutMs, ["max_wait_ms"] = maxWaitMs,
        }, cancellation);
        return answer["records"]!.AsArray();
    }

    public static async Task<(long Low, long High)> WatermarksAsync(this IInteropClient client, string topic, int partition, CancellationToken cancellation)
    {
        JsonObject w = await client.StepAsync("watermarks", new JsonObject { ["topic"] = topic, ["partition"] = partition }, cancellation);
        return (w.Long("low"), w.Long("high"));
    }

    /// <summary>
    /// Checks consumed records against what was produced: offsets from <paramref name="firstOffset"/> up, keys,
    /// values and headers byte for byte, and timestamps exactly when the producer could set them.
    /// </summary>
    public static void AssertSame(IReadOnlyList<Rec> produced, JsonArray consumed, long firstOffset, bool exactTimestamps, string who, long? earliestTimestamp = null)
    {
        ScenarioContext.Check(consumed.Count == produced.Count, $"{who}: read {consumed.Count} of {produced.Count} records");
        for (int i = 0; i < produced.Count; i++)
        {
            JsonNode got = consumed[i]!;
            string expected = Rec.Content(produced[i].ToJson()), actual = Rec.Content(got);
            ScenarioContext.Check(expected == actual, $"{who}: record {i} differs: expected {expected}, got {actual}");
            ScenarioContext.Equal(firstOffset + i, got["offset"]!.GetValue<long>(), $"{who}: offset of record {i}");
            long timestamp = got["timestamp"]!.GetValue<long>();
            if (exactTimestamps && produced[i].Timestamp is long ts)
            {
                ScenarioContext.Equal(ts, timestamp, $"{who}: timestamp of record {i}");
            }
            else if (earliestTimestamp is long earliest)
            {
                ScenarioContext.Check(timestamp >= earliest - 60_000, $"{who}: record {i} has timestamp {timestamp}, before the run started");
            }
        }
    }
}
