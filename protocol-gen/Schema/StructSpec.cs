namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>A struct type of a message: an inline one declared by a field, or one of the commonStructs.</summary>
public sealed class StructSpec
{
    public required string Name { get; init; }

    /// <summary>The C# class name; differs from <see cref="Name"/> only where the name would clash with a property.</summary>
    public required string ClassName { get; set; }

    public required IReadOnlyList<FieldSpec> Fields { get; init; }

    /// <summary>The versions in which the struct can appear (decides which version checks are needed).</summary>
    public required VersionRange Versions { get; set; }
}
