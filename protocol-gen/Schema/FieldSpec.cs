namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>One field of a message or struct, as the schema declares it.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }

    public required string TypeText { get; init; }

    public required FieldType Type { get; init; }

    public required VersionRange Versions { get; init; }

    public VersionRange NullableVersions { get; init; } = VersionRange.None;

    public VersionRange TaggedVersions { get; init; } = VersionRange.None;

    public int? Tag { get; init; }

    public bool Ignorable { get; init; }

    /// <summary>The raw "default" text, or null when the schema gives none.</summary>
    public string? Default { get; init; }

    public string? EntityType { get; init; }

    public bool MapKey { get; init; }

    public bool ZeroCopy { get; init; }

    /// <summary>A field-level override of the message's flexible versions (RequestHeader.ClientId uses "none").</summary>
    public VersionRange? FlexibleVersions { get; init; }

    /// <summary>Inline struct fields when the field declares its own struct type.</summary>
    public IReadOnlyList<FieldSpec>? Fields { get; init; }

    /// <summary>Versions in which the field is in the fixed (untagged) part.</summary>
    public VersionRange UntaggedVersions => TaggedVersions.IsEmpty ? Versions : UntaggedPart();

    private VersionRange UntaggedPart()
    {
        // Kafka only allows tagged ranges that are open-ended tails of the field's versions.
        if (TaggedVersions.Lowest <= Versions.Lowest)
        {
            return VersionRange.None;
        }

        return new VersionRange(Versions.Lowest, (short)(TaggedVersions.Lowest - 1)).Intersect(Versions);
    }
}
