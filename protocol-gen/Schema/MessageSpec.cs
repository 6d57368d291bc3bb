namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>One schema file: a request, response, header, data or metadata message.</summary>
public sealed class MessageSpec
{
    public required string FileName { get; init; }

    public required string Name { get; init; }

    /// <summary>request, response, header, data or metadata.</summary>
    public required string Type { get; init; }

    public short? ApiKey { get; init; }

    public required VersionRange ValidVersions { get; init; }

    public required VersionRange FlexibleVersions { get; init; }

    public VersionRange DeprecatedVersions { get; init; } = VersionRange.None;

    public bool LatestVersionUnstable { get; init; }

    public IReadOnlyList<string> Listeners { get; init; } = [];

    public required IReadOnlyList<FieldSpec> Fields { get; init; }

    public required IReadOnlyList<StructSpec> CommonStructs { get; init; }

    public bool IsApiMessage => Type is "request" or "response";
}
