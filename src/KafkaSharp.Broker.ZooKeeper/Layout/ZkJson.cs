using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// Writing and reading the compact UTF-8 JSON Kafka keeps in znodes. Reading is strict about the fields Kafka needs
/// and lenient about extra ones (newer brokers add fields); anything else is a <see cref="MalformedZNodeException"/>
/// naming the path.
/// </summary>
internal static class ZkJson
{
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a JSON object; <paramref name="read"/> turns it into the value, throwing on missing fields.</summary>
    public static T Read<T>(string path, ReadOnlySpan<byte> data, Func<JsonElement, T> read)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedZNodeException(path, "expected a JSON object");
            }

            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new MalformedZNodeException(path, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new MalformedZNodeException(path, e.Message, e);
        }
        catch (FormatException e)
        {
            throw new MalformedZNodeException(path, e.Message, e);
        }
        catch (KeyNotFoundException e)
        {
            throw new MalformedZNodeException(path, e.Message, e);
        }
    }

    public static JsonElement Required(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new KeyNotFoundException($"missing field '{name}'");

    public static int RequiredInt(JsonElement obj, string name) => Required(obj, name).GetInt32();

    /// <summary>Kafka writes some numbers as strings ("timestamp", "version" of /cluster/id); accept either.</summary>
    public static long LongOrString(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture) : value.GetInt64();

    public static int[] IntArray(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("expected an array of broker ids");
        }

        int[] result = new int[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            result[i++] = item.GetInt32();
        }

        return result;
    }

    public static void WriteIntArray(Utf8JsonWriter writer, string name, IEnumerable<int> values)
    {
        writer.WriteStartArray(name);
        foreach (int value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>{"0":[1,2],"1":[2,3]}: replica lists by partition number.</summary>
    public static void WriteReplicaMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, IReadOnlyList<int>> replicas)
    {
        writer.WriteStartObject(name);
        foreach ((int partition, IReadOnlyList<int> list) in replicas.OrderBy(p => p.Key))
        {
            WriteIntArray(writer, partition.ToString(CultureInfo.InvariantCulture), list);
        }

        writer.WriteEndObject();
    }

    public static Dictionary<int, IReadOnlyList<int>> ReadReplicaMap(JsonElement map)
    {
        var result = new Dictionary<int, IReadOnlyList<int>>();
        if (map.ValueKind == JsonValueKind.Null || map.ValueKind == JsonValueKind.Undefined)
        {
            return result;
        }

        foreach (JsonProperty property in map.EnumerateObject())
        {
            result[int.Parse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture)] = IntArray(property.Value);
        }

        return result;
    }

    public static string Timestamp(long unixMs) => unixMs.ToString(CultureInfo.InvariantCulture);
}
