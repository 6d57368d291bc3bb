using System.Text.RegularExpressions;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// One captured frame (header + body, no size prefix), with the facts its file name carries:
/// <c>&lt;client&gt;-&lt;api&gt;-v&lt;version&gt;[-&lt;codec&gt;]-&lt;request|response&gt;.bin</c>.
/// </summary>
public sealed partial class VectorFile
{
    private const string ResourcePrefix = "Vectors/";

    private static readonly Lazy<IReadOnlyList<VectorFile>> Loaded = new(Load);

    private VectorFile(string name, byte[] data)
    {
        Match match = NamePattern().Match(name);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Vector file name '{name}' does not follow the naming scheme.");
        }

        Name = name;
        Data = data;
        Client = match.Groups["client"].Value;
        Api = match.Groups["api"].Value;
        Version = short.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Codec = match.Groups["codec"].Success ? match.Groups["codec"].Value : null;
        IsRequest = match.Groups["kind"].Value == "request";
    }

    public string Name { get; }

    public byte[] Data { get; }

    /// <summary>Client and its version, e.g. "kcat-2.0.2".</summary>
    public string Client { get; }

    /// <summary>The API in the file name's spelling, e.g. "list-offsets".</summary>
    public string Api { get; }

    public short Version { get; }

    /// <summary>The compression codec a produce vector was captured with; null for other APIs.</summary>
    public string? Codec { get; }

    public bool IsRequest { get; }

    /// <summary>The client.id each client sends: librdkafka's default unless the capture set one.</summary>
    public string ExpectedClientId => Client.StartsWith("kafka-python", StringComparison.Ordinal) ? "kafka-python" : "rdkafka";

    public short ApiKey => Api switch
    {
        "produce" => 0,
        "fetch" => 1,
        "list-offsets" => 2,
        "metadata" => 3,
        "api-versions" => 18,
        _ => throw new InvalidOperationException($"No API key known for '{Api}'."),
    };

    public static IReadOnlyList<VectorFile> All => Loaded.Value;

    public static VectorFile Get(string name) => All.Single(v => v.Name == name);

    /// <summary>The request this response answers (same client, API, version and codec).</summary>
    public VectorFile RequestOf() => Get(Name.Replace("-response.bin", "-request.bin", StringComparison.Ordinal));

    public static TheoryData<string> Names(Func<VectorFile, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (VectorFile vector in All.Where(filter))
        {
            data.Add(vector.Name);
        }

        return data;
    }

    public static TheoryData<string> Requests() => Names(v => v.IsRequest);

    public static TheoryData<string> Responses() => Names(v => !v.IsRequest);

    /// <summary>
    /// The mock cluster's refusal of ApiVersions v3 is not a valid ApiVersions response at any version (see
    /// README.md); every other frame is, and takes part in the decode/encode tests.
    /// </summary>
    public bool IsWellFormed => Name != "kcat-2.0.2-api-versions-v3-response.bin";

    public static TheoryData<string> WellFormed() => Names(v => v.IsWellFormed);

    public static TheoryData<string> ProduceRequests() => Names(v => v.IsRequest && v.Api == "produce");

    public override string ToString() => Name;

    private static List<VectorFile> Load()
    {
        var assembly = typeof(VectorFile).Assembly;
        var vectors = new List<VectorFile>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            vectors.Add(new VectorFile(resource[ResourcePrefix.Length..], copy.ToArray()));
        }

        return vectors;
    }

    [GeneratedRegex(@"^(?<client>.+?)-(?<api>api-versions|produce|fetch|list-offsets|metadata)-v(?<version>\d+)(-(?<codec>none|gzip|snappy|lz4|zstd))?-(?<kind>request|response)\.bin$")]
    private static partial Regex NamePattern();
}
