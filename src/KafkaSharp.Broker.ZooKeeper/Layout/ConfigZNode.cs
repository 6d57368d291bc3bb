using System.Text.Json;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// /config/topics/&lt;topic&gt;, /config/brokers/&lt;id|&lt;default&gt;&gt; (ConfigEntityZNode):
/// <c>{"version":1,"config":{"retention.ms":"86400000"}}</c> — only overrides, values as strings.
/// </summary>
public static class ConfigZNode
{
    public static byte[] Encode(IReadOnlyDictionary<string, string> configs) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 1);
        w.WriteStartObject("config");
        foreach ((string key, string value) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    });

    public static IReadOnlyDictionary<string, string> Decode(string path, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return ZkJson.Read(path, data, root =>
        {
            var configs = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("config", out JsonElement map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in map.EnumerateObject())
                {
                    configs[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                        ? entry.Value.GetString()!
                        : throw new FormatException($"config '{entry.Name}' is not a string");
                }
            }

            return configs;
        });
    }
}

/// <summary>
/// /config/changes/config_change_&lt;seq&gt; (persistent sequential):
/// <c>{"version":2,"entity_path":"topics/&lt;topic&gt;"}</c> — tells every broker to re-read that entity.
/// </summary>
public static class ConfigChangeNotificationZNode
{
    public static byte[] Encode(string entityPath) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 2);
        w.WriteString("entity_path", entityPath);
    });

    public static string Decode(string path, ReadOnlySpan<byte> data) =>
        ZkJson.Read(path, data, root => ZkJson.Required(root, "entity_path").GetString()!);
}
