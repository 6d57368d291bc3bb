using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Clients;

/// <summary>Small helpers for the step JSON: bytes as lowercase hex, null stays null.</summary>
public static class Json
{
    public static string? Hex(ReadOnlySpan<byte> bytes, bool isNull) => isNull ? null : Convert.ToHexStringLower(bytes);

    public static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    public static byte[]? Unhex(JsonNode? node) => node is null ? null : Convert.FromHexString(node.GetValue<string>());

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);

    public static int Int(this JsonObject obj, string name) => (int)Number(obj[name]!);

    public static long Long(this JsonObject obj, string name) => Number(obj[name]!);

    public static string Str(this JsonObject obj, string name) => obj[name]!.GetValue<string>();

    public static long? OptionalLong(this JsonObject obj, string name) => obj[name] is JsonValue v ? Number(v) : null;

    public static int? OptionalInt(this JsonObject obj, string name) => obj[name] is JsonValue v ? (int)Number(v) : null;

    /// <summary>A whole number whether the node was parsed (JsonElement) or built from an int or a long.</summary>
    public static long Number(JsonNode node) => node.AsValue() switch
    {
        var v when v.TryGetValue(out long l) => l,
        var v when v.TryGetValue(out int i) => i,
        var v => v.GetValue<System.Text.Json.JsonElement>().GetInt64(),
    };
}
