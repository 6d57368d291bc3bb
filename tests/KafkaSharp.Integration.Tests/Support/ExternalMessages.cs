using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// One message as the node and python scripts in tests/clients exchange them: JSON with bytes as hex, so keys,
/// values and headers compare byte for byte whichever client wrote or read them.
/// </summary>
public sealed record ExternalMessage(int Partition, byte[]? Key, byte[]? Value, IReadOnlyList<(string Name, byte[]? Value)> Headers)
{
    public static ExternalMessage Sample(int i, int partition = 0) => new(
        partition,
        i % 5 == 0 ? null : Payloads.Key(i),
        Payloads.Value(i, 20 + i % 300),
        i % 2 == 0 ? [] : [("trace", Encoding.UTF8.GetBytes($"t-{i}")), ("bin", [0, 255, (byte)i])]);

    public static ExternalMessage From(ConsumeResult<byte[], byte[]> result) => new(
        result.Partition.Value,
        result.Message.Key,
        result.Message.Value,
        [.. (result.Message.Headers ?? []).Select(h => (h.Key, (byte[]?)h.GetValueBytes()))]);

    public Message<byte[], byte[]> ToConfluent()
    {
        var headers = new Headers();
        foreach ((string name, byte[]? value) in Headers)
        {
            headers.Add(name, value);
        }

        return new Message<byte[], byte[]> { Key = Key!, Value = Value!, Headers = headers };
    }

    public bool SameAs(ExternalMessage other) =>
        Partition == other.Partition
        && Equal(Key, other.Key)
        && Equal(Value, other.Value)
        && Headers.Count == other.Headers.Count
        && Headers.Zip(other.Headers).All(p => p.First.Name == p.Second.Name && Equal(p.First.Value, p.Second.Value));

    /// <summary>Writes messages to a temp file in the scripts' input format; the caller deletes it.</summary>
    public static string WriteFile(IEnumerable<ExternalMessage> messages)
    {
        var array = new JsonArray();
        foreach (ExternalMessage m in messages)
        {
            array.Add(new JsonObject
            {
                ["partition"] = m.Partition,
                ["key"] = Hex(m.Key),
                ["value"] = Hex(m.Value),
                ["headers"] = new JsonArray([.. m.Headers.Select(h => (JsonNode)new JsonArray(h.Name, Hex(h.Value)))]),
            });
        }

        string path = Path.Combine(Path.GetTempPath(), $"kafkasharp-messages-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, array.ToJsonString());
        return path;
    }

    /// <summary>Parses the scripts' consume output: one JSON message per line.</summary>
    public static List<(long Offset, ExternalMessage Message)> ParseLines(string output)
    {
        var messages = new List<(long, ExternalMessage)>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            var headers = new List<(string, byte[]?)>();
            foreach (JsonElement h in e.GetProperty("headers").EnumerateArray())
            {
                headers.Add((h[0].GetString()!, Unhex(h[1])));
            }

            messages.Add((e.GetProperty("offset").GetInt64(),
                new ExternalMessage(e.GetProperty("partition").GetInt32(), Unhex(e.GetProperty("key")), Unhex(e.GetProperty("value")), headers)));
        }

        return messages;
    }

    /// <summary>Parses the scripts' produce output: one {"partition", "offset"} line per message.</summary>
    public static List<(int Partition, long Offset)> ParseDeliveries(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            return (doc.RootElement.GetProperty("partition").GetInt32(), doc.RootElement.GetProperty("offset").GetInt64());
        })];

    private static bool Equal(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    private static byte[]? Unhex(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : Convert.FromHexString(e.GetString()!);
}
