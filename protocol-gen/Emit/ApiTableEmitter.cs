using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>
/// Writes ApiKey.g.cs (the enum of API keys) and ApiMessageTable.g.cs (per API: name, stable version range,
/// first flexible versions, factories and the request/response header version rules).
/// </summary>
internal static class ApiTableEmitter
{
    /// <summary>One API: its request and response schemas.</summary>
    internal sealed record Api(short Key, string Name, MessageSpec Request, MessageSpec Response)
    {
        /// <summary>The highest version clients may use: an unstable latest version is left out.</summary>
        public short HighestStable => (short)(Request.ValidVersions.Highest - (Request.LatestVersionUnstable ? 1 : 0));

        public static short FirstFlexible(MessageSpec spec) =>
            spec.FlexibleVersions.IsEmpty ? (short)-1 : Math.Max(spec.FlexibleVersions.Lowest, spec.ValidVersions.Lowest);
    }

    public static List<Api> CollectApis(IReadOnlyList<MessageSpec> specs)
    {
        Dictionary<short, MessageSpec> requests = [];
        Dictionary<short, MessageSpec> responses = [];
        foreach (MessageSpec spec in specs.Where(s => s.IsApiMessage))
        {
            Dictionary<short, MessageSpec> target = spec.Type == "request" ? requests : responses;
            if (!target.TryAdd(spec.ApiKey!.Value, spec))
            {
                throw new SchemaException($"{spec.FileName}: apiKey {spec.ApiKey} is also used by {target[spec.ApiKey.Value].FileName}.");
            }
        }

        List<Api> apis = [];
        foreach ((short key, MessageSpec request) in requests.OrderBy(p => p.Key))
        {
            if (!responses.TryGetValue(key, out MessageSpec? response))
            {
                throw new SchemaException($"{request.FileName}: no response schema has apiKey {key}.");
            }

            apis.Add(new Api(key, StructEmitter.ApiKeyName(request), request, response));
        }

        foreach ((short key, MessageSpec response) in responses)
        {
            if (!requests.ContainsKey(key))
            {
                throw new SchemaException($"{response.FileName}: no request schema has apiKey {key}.");
            }
        }

        return apis;
    }

    public static string EmitApiKeyEnum(List<Api> apis)
    {
        CodeWriter code = new();
        MessageFileEmitter.WriteHeader(code);
        code.Line("namespace KafkaSharp.Protocol.Messages;");
        code.Line();
        code.Line("/// <summary>Kafka's API keys, named as Kafka names its APIs.</summary>");
        using (code.Block("public enum ApiKey : short"))
        {
            foreach (Api api in apis)
            {
                code.Line($"{api.Name} = {api.Key},");
            }
        }

        return code.ToString();
    }

    public static string EmitTable(List<Api> apis)
    {
        CodeWriter code = new();
        MessageFileEmitter.WriteHeader(code);
        code.Line("namespace KafkaSharp.Protocol.Messages;");
        code.Line();
        code.Line("/// <summary>What this broker's schemas say about each API: versions, flexible versions, header versions.</summary>");
        using (code.Block("public static partial class ApiMessageTable"))
        {
            code.Line("/// <summary>Every API, ordered by key.</summary>");
            code.Line("public static IReadOnlyList<ApiMessageInfo> All { get; } =");
            code.Line("[");
            code.Indent();
            foreach (Api api in apis)
            {
                code.Line($"new(ApiKey.{api.Name}, \"{api.Name}\", {api.Request.ValidVersions.Lowest}, {api.HighestStable}, {Api.FirstFlexible(api.Request)}, {Api.FirstFlexible(api.Response)}),");
            }

            code.Outdent();
            code.Line("];");
            code.Line();
            EmitFactory(code, apis, "CreateRequest", api => api.Request.Name);
            code.Line();
            EmitFactory(code, apis, "CreateResponse", api => api.Response.Name);
        }

        return code.ToString();
    }

    private static void EmitFactory(CodeWriter code, List<Api> apis, string method, Func<Api, string> className)
    {
        code.Line("/// <summary>A new, empty message for the API; an unknown key is an <see cref=\"UnsupportedVersionException\"/>.</summary>");
        code.Line($"public static IApiMessage {method}(ApiKey apiKey) => apiKey switch");
        code.Line("{");
        code.Indent();
        foreach (Api api in apis)
        {
            code.Line($"ApiKey.{api.Name} => new {className(api)}(),");
        }

        code.Line("_ => throw new UnsupportedVersionException($\"Unknown API key {(short)apiKey}.\"),");
        code.Outdent();
        code.Line("};");
    }
}
