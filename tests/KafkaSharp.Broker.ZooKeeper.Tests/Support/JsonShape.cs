using System.Text;
using System.Text.Json;

namespace KafkaSharp.Broker.ZooKeeper.Tests.Support;

/// <summary>Checks a znode's raw bytes: compact UTF-8 JSON with exactly the given fields.</summary>
public static class JsonShape
{
    public static JsonElement Object(byte[] data, params string[] fields)
    {
        string text = Encoding.UTF8.GetString(data);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain(": ", text);
        JsonElement root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(fields.Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return root;
    }
}
