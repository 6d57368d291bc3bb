using System.Text;
using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>A record as the scenarios write and compare it; bytes compare as hex.</summary>
public sealed record Rec(int? Partition, byte[]? Key, byte[]? Value, (string Name, byte[] Value)[] Headers, long? Timestamp)
{
    public static Rec Text(int? partition, string? key, string value, long? timestamp, params (string, string)[] headers) =>
        new(partition, key is null ? null : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value),
            [.. headers.Select(h => (h.Item1, Encoding.UTF8.GetBytes(h.Item2)))], timestamp);

    public JsonObject ToJson() => new()
    {
        ["partition"] = Partition,
        ["key"] = Json.Hex(Key),
        ["value"] = Json.Hex(Value),
        ["headers"] = Json.Array(Headers, h => new JsonArray(h.Name, Json.Hex(h.Value))),
        ["timestamp"] = Timestamp,
    };

    /// <summary>What a consumer must see byte for byte: key, value and headers in order.</summary>
    public static string Content(JsonNode record) =>
        $"key={record["key"]?.ToJsonString() ?? "null"} value={Short(record["value"])} headers={record["headers"]?.ToJsonString() ?? "[]"}";

    private static string Short(JsonNode? hex)
    {
        string s = hex?.ToJsonString() ?? "null";
        return s.Length <= 80 ? s : $"{s[..40]}…({s.Length} chars, sha {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12]})";
    }

    /// <summary>
    /// The data every round trip uses: binary keys and values (NUL, 0xff, newline), a null key, an empty value,
    /// repeated header names and an empty header value, explicit CreateTime timestamps.
    /// </summary>
    public static Rec[] Canonical(int partition, long baseTimestamp)
    {
        var random = new Random(7);
        byte[] noise = new byte[300];
        random.NextBytes(noise);
        return
        [
            new(partition, [0x00, 0xff, 0x10, 0x0a], [0x00, 0x01, 0x0a, 0xfe, 0xff], [("h1", "v1"u8.ToArray()), ("h1", "v2"u8.ToArray()), ("trace", "abc"u8.ToArray())], baseTimestamp),
            new(partition, null, "value with a null key"u8.ToArray(), [("empty", [])], baseTimestamp + 1),
            new(partition, "empty-value"u8.ToArray(), [], [], baseTimestamp + 2),
            new(partition, "noise"u8.ToArray(), noise, [("client", "interop"u8.ToArray())], baseTimestamp + 3),
        ];
    }
}
