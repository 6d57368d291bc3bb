using System.Globalization;
using System.Text.Json;

namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>
/// Reads a schema file in Kafka's message definition format. Any key Kafka's format does not define is an error,
/// so that a typo cannot silently drop a field property.
/// </summary>
public static class SchemaParser
{
    private static readonly JsonDocumentOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly HashSet<string> s_topLevelKeys =
    [
        "apiKey", "type", "name", "listeners", "validVersions", "flexibleVersions", "deprecatedVersions",
        "latestVersionUnstable", "fields", "commonStructs",
    ];

    private static readonly HashSet<string> s_fieldKeys =
    [
        "name", "type", "versions", "nullableVersions", "taggedVersions", "tag", "ignorable", "default", "entityType",
        "mapKey", "zeroCopy", "flexibleVersions", "fields", "about",
    ];

    private static readonly HashSet<string> s_commonStructKeys = ["name", "versions", "fields"];

    private static readonly HashSet<string> s_messageTypes = ["request", "response", "header", "data", "metadata"];

    public static MessageSpec ParseFile(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static MessageSpec Parse(string json, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_options);
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{fileName}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            return ParseMessage(document.RootElement, fileName);
        }
    }

    private static MessageSpec ParseMessage(JsonElement root, string file)
    {
        RequireObject(root, file, "the top level");
        CheckKeys(root, s_topLevelKeys, file, "the top level");

        string name = RequireString(root, "name", file, "the top level");
        string type = RequireString(root, "type", file, name);
        if (!s_messageTypes.Contains(type))
        {
            throw new SchemaException($"{file}: unknown message type \"{type}\".");
        }

        short? apiKey = null;
        if (root.TryGetProperty("apiKey", out JsonElement apiKeyElement))
        {
            int? key = ReadNonNegativeInt(apiKeyElement);
            if (key is not int value || value > short.MaxValue)
            {
                throw new SchemaException($"{file}: \"apiKey\" must be a non-negative 16-bit number.");
            }

            apiKey = (short)value;
        }
        else if (type is "request" or "response")
        {
            throw new SchemaException($"{file}: a {type} needs an \"apiKey\".");
        }

        string? validText = OptionalString(root, "validVersions", file, name);
        VersionRange valid = validText is null
            ? throw new SchemaException($"{file}: \"validVersions\" is missing.")
            : ParseVersions(validText, file, "validVersions", name);
        string? flexibleText = OptionalString(root, "flexibleVersions", file, name);
        VersionRange flexible = flexibleText is null ? VersionRange.None : ParseVersions(flexibleText, file, "flexibleVersions", name);
        string? deprecatedText = OptionalString(root, "deprecatedVersions", file, name);
        VersionRange deprecated = deprecatedText is null ? VersionRange.None : ParseVersions(deprecatedText, file, "deprecatedVersions", name);
        bool unstable = OptionalBool(root, "latestVersionUnstable", file, name);

        List<string> listeners = [];
        if (root.TryGetProperty("listeners", out JsonElement listenersElement))
        {
            if (listenersElement.ValueKind != JsonValueKind.Array)
            {
                throw new SchemaException($"{file}: \"listeners\" must be an array of strings.");
            }

            foreach (JsonElement listener in listenersElement.EnumerateArray())
            {
                listeners.Add(listener.ValueKind == JsonValueKind.String
                    ? listener.GetString()!
                    : throw new SchemaException($"{file}: \"listeners\" must be an array of strings."));
            }
        }

        IReadOnlyList<FieldSpec> fields = ParseFields(root, file, name);
        List<StructSpec> commonStructs = [];
        if (root.TryGetProperty("commonStructs", out JsonElement commonElement))
        {
            if (commonElement.ValueKind != JsonValueKind.Array)
            {
                throw new SchemaException($"{file}: \"commonStructs\" must be an array.");
            }

            foreach (JsonElement structElement in commonElement.EnumerateArray())
            {
                RequireObject(structElement, file, "commonStructs");
                string structName = RequireString(structElement, "name", file, "commonStructs");
                CheckKeys(structElement, s_commonStructKeys, file, structName);
                string? versionsText = OptionalString(structElement, "versions", file, structName);
                VersionRange versions = versionsText is null ? valid : ParseVersions(versionsText, file, "versions", structName);
                commonStructs.Add(new StructSpec
                {
                    Name = structName,
                    ClassName = structName,
                    Fields = ParseFields(structElement, file, structName),
                    Versions = versions.Intersect(valid),
                });
            }
        }

        return new MessageSpec
        {
            FileName = file,
            Name = name,
            Type = type,
            ApiKey = apiKey,
            ValidVersions = valid,
            FlexibleVersions = flexible,
            DeprecatedVersions = deprecated,
            LatestVersionUnstable = unstable,
            Listeners = listeners,
            Fields = fields,
            CommonStructs = commonStructs,
        };
    }

    private static List<FieldSpec> ParseFields(JsonElement owner, string file, string ownerName)
    {
        List<FieldSpec> fields = [];
        if (!owner.TryGetProperty("fields", out JsonElement fieldsElement))
        {
            return fields;
        }

        if (fieldsElement.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaException($"{file}: \"fields\" of {ownerName} must be an array.");
        }

        foreach (JsonElement element in fieldsElement.EnumerateArray())
        {
            fields.Add(ParseField(element, file, ownerName));
        }

        HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
        HashSet<int> tags = [];
        foreach (FieldSpec field in fields)
        {
            if (!names.Add(field.Name))
            {
                throw new SchemaException($"{file}: {ownerName} declares field \"{field.Name}\" twice.");
            }

            if (field.Tag is int tag && !tags.Add(tag))
            {
                throw new SchemaException($"{file}: {ownerName} uses tag {tag} twice.");
            }
        }

        return fields;
    }

    private static FieldSpec ParseField(JsonElement element, string file, string ownerName)
    {
        RequireObject(element, file, ownerName);
        string name = RequireString(element, "name", file, ownerName);
        string where = $"{ownerName}.{name}";
        CheckKeys(element, s_fieldKeys, file, where);

        string typeText = RequireString(element, "type", file, where);
        FieldType type = FieldType.TryParse(typeText) ?? throw new SchemaException($"{file}: {where} has unknown type \"{typeText}\".");

        string? versionsText = OptionalString(element, "versions", file, where);
        VersionRange versions = versionsText is null
            ? throw new SchemaException($"{file}: {where} has no \"versions\".")
            : ParseVersions(versionsText, file, "versions", where);
        string? nullableText = OptionalString(element, "nullableVersions", file, where);
        VersionRange nullable = nullableText is null ? VersionRange.None : ParseVersions(nullableText, file, "nullableVersions", where);
        string? taggedText = OptionalString(element, "taggedVersions", file, where);
        VersionRange tagged = taggedText is null ? VersionRange.None : ParseVersions(taggedText, file, "taggedVersions", where);
        string? flexibleText = OptionalString(element, "flexibleVersions", file, where);
        VersionRange? flexible = flexibleText is null ? null : ParseVersions(flexibleText, file, "flexibleVersions", where);

        int? tag = null;
        if (element.TryGetProperty("tag", out JsonElement tagElement))
        {
            // Kafka's parser also takes a number written as a string (BrokerHeartbeatRequest has "tag": "0").
            tag = ReadNonNegativeInt(tagElement)
                ?? throw new SchemaException($"{file}: {where} has a \"tag\" that is not a non-negative number.");
        }

        if (tag is null != tagged.IsEmpty)
        {
            throw new SchemaException($"{file}: {where} must give both \"tag\" and \"taggedVersions\" or neither.");
        }

        if (!tagged.IsEmpty && !tagged.IsOpenEnded)
        {
            throw new SchemaException($"{file}: {where} has taggedVersions \"{taggedText}\", which is not open-ended.");
        }

        if (!nullable.IsEmpty && !type.CanBeNull)
        {
            throw new SchemaException($"{file}: {where} of type {typeText} cannot have nullableVersions.");
        }

        string? defaultText = null;
        if (element.TryGetProperty("default", out JsonElement defaultElement))
        {
            defaultText = defaultElement.ValueKind switch
            {
                JsonValueKind.String => defaultElement.GetString(),
                JsonValueKind.Number => defaultElement.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new SchemaException($"{file}: {where} has a \"default\" that is not a string, number or boolean."),
            };
        }

        IReadOnlyList<FieldSpec>? nested = null;
        if (element.TryGetProperty("fields", out _))
        {
            FieldType structType = type.IsArray ? type.Element! : type;
            if (!structType.IsStruct)
            {
                throw new SchemaException($"{file}: {where} of type {typeText} cannot declare \"fields\".");
            }

            nested = ParseFields(element, file, structType.StructName!);
        }

        return new FieldSpec
        {
            Name = name,
            TypeText = typeText,
            Type = type,
            Versions = versions,
            NullableVersions = nullable,
            TaggedVersions = tagged,
            Tag = tag,
            Ignorable = OptionalBool(element, "ignorable", file, where),
            Default = defaultText,
            EntityType = OptionalString(element, "entityType", file, where),
            MapKey = OptionalBool(element, "mapKey", file, where),
            ZeroCopy = OptionalBool(element, "zeroCopy", file, where),
            FlexibleVersions = flexible,
            Fields = nested,
        };
    }

    /// <summary>Parses a version range, or throws an error naming the file, the key and the text.</summary>
    public static VersionRange ParseVersions(string text, string file, string key, string where) =>
        VersionRange.TryParse(text, out VersionRange range)
            ? range
            : throw new SchemaException($"{file}: {where} has \"{key}\": \"{text}\", which is not a version range (\"0+\", \"3-7\", \"5\" or \"none\").");

    private static int? ReadNonNegativeInt(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int number))
        {
            return number >= 0 ? number : null;
        }

        if (element.ValueKind == JsonValueKind.String
            && int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            return parsed;
        }

        return null;
    }

    private static void CheckKeys(JsonElement element, HashSet<string> allowed, string file, string where)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw new SchemaException($"{file}: unknown key \"{property.Name}\" in {where}.");
            }
        }
    }

    private static void RequireObject(JsonElement element, string file, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaException($"{file}: expected a JSON object in {where}.");
        }
    }

    private static string RequireString(JsonElement element, string key, string file, string where) =>
        OptionalString(element, key, file, where) ?? throw new SchemaException($"{file}: \"{key}\" is missing in {where}.");

    private static string? OptionalString(JsonElement element, string key, string file, string where)
    {
        if (!element.TryGetProperty(key, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SchemaException($"{file}: \"{key}\" in {where} must be a string.");
    }

    private static bool OptionalBool(JsonElement element, string key, string file, string where)
    {
        if (!element.TryGetProperty(key, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out bool parsed) => parsed,
            _ => throw new SchemaException($"{file}: \"{key}\" in {where} must be true or false."),
        };
    }
}
