using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>
/// Writes the C# class of one message or struct: properties with defaults, Read, Write, Size, equality and, for
/// the message itself, the nested struct classes. The per-field wire code lives in the other parts of this class.
/// </summary>
internal sealed partial class StructEmitter(MessageModel model, CodeWriter code)
{
    private readonly FieldTypes _types = new(model);

    private MessageSpec Spec => model.Spec;

    private string File => model.Spec.FileName;

    public void EmitMessage()
    {
        StructSpec root = model.Root;
        string interfaceName = Spec.IsApiMessage ? "IApiMessage" : "IKafkaMessage";
        using (code.Block($"public sealed partial class {root.ClassName} : {interfaceName}, IEquatable<{root.ClassName}>"))
        {
            code.Line($"public const short LowestVersion = {Spec.ValidVersions.Lowest};");
            code.Line();
            code.Line($"public const short HighestVersion = {Spec.ValidVersions.Highest};");
            code.Line();
            if (Spec.IsApiMessage)
            {
                code.Line($"public ApiKey ApiKey => ApiKey.{ApiKeyName(Spec)};");
                code.Line();
            }

            code.Line("public short LowestSupportedVersion => LowestVersion;");
            code.Line();
            code.Line("public short HighestSupportedVersion => HighestVersion;");
            code.Line();
            EmitBody(root, isRoot: true);
            foreach (StructSpec structSpec in model.Structs)
            {
                code.Line();
                using (code.Block($"public sealed partial class {structSpec.ClassName} : IEquatable<{structSpec.ClassName}>"))
                {
                    EmitBody(structSpec, isRoot: false);
                }
            }
        }
    }

    /// <summary>The ApiKey enum member of a request or response: its name without the suffix.</summary>
    public static string ApiKeyName(MessageSpec spec)
    {
        string suffix = spec.Type == "request" ? "Request" : "Response";
        return spec.Name.EndsWith(suffix, StringComparison.Ordinal) ? spec.Name[..^suffix.Length] : spec.Name;
    }

    private bool HasTaggedSection(StructSpec structSpec) => !Spec.FlexibleVersions.Intersect(structSpec.Versions).IsEmpty;

    private static string Prop(FieldSpec field) => Names.Property(field.Name);

    private void EmitBody(StructSpec structSpec, bool isRoot)
    {
        foreach (FieldSpec field in structSpec.Fields)
        {
            string defaultValue = _types.DefaultValue(field, File);
            string initializer = defaultValue is "0" or "false" or "null" or "Guid.Empty" ? "" : $" = {defaultValue};";
            code.Line($"public {_types.PropertyType(field)} {Prop(field)} {{ get; set; }}{initializer}");
            code.Line();
        }

        if (HasTaggedSection(structSpec))
        {
            code.Line("/// <summary>Tagged fields this version of the schema does not know, kept so they are written back.</summary>");
            code.Line("public List<RawTaggedField>? UnknownTaggedFields { get; set; }");
            code.Line();
        }

        EmitRead(structSpec, isRoot);
        code.Line();
        EmitWrite(structSpec, isRoot);
        code.Line();
        EmitSize(structSpec, isRoot);
        code.Line();
        EmitEquality(structSpec);
    }

    private void EmitVersionCheck(StructSpec structSpec, bool isRoot)
    {
        if (isRoot)
        {
            code.Line($"MessageSupport.CheckVersion(version, LowestVersion, HighestVersion, \"{structSpec.ClassName}\");");
        }
    }

    /// <summary>Tagged fields that can appear in this struct, in tag order.</summary>
    private static List<FieldSpec> TaggedFields(StructSpec structSpec) =>
        [.. structSpec.Fields.Where(f => f.Tag is not null && !f.TaggedVersions.Intersect(f.Versions).Intersect(structSpec.Versions).IsEmpty).OrderBy(f => f.Tag)];

    private VersionRange FlexibleOf(FieldSpec field) => field.FlexibleVersions ?? Spec.FlexibleVersions;

    private void EmitEquality(StructSpec structSpec)
    {
        string name = structSpec.ClassName;
        code.Line($"public override bool Equals(object? obj) => Equals(obj as {name});");
        code.Line();
        using (code.Block($"public bool Equals({name}? other)"))
        {
            using (code.Block("if (other is null)"))
            {
                code.Line("return false;");
            }

            code.Line();
            using (code.Block("if (ReferenceEquals(this, other))"))
            {
                code.Line("return true;");
            }

            code.Line();
            List<string> comparisons = [.. structSpec.Fields.Select(FieldEquality)];
            if (HasTaggedSection(structSpec))
            {
                comparisons.Add("MessageSupport.TaggedFieldsEqual(UnknownTaggedFields, other.UnknownTaggedFields)");
            }

            if (comparisons.Count == 0)
            {
                code.Line("return true;");
            }
            else
            {
                code.Line($"return {comparisons[0]}" + (comparisons.Count == 1 ? ";" : ""));
                code.Indent();
                for (int i = 1; i < comparisons.Count; i++)
                {
                    code.Line($"&& {comparisons[i]}" + (i == comparisons.Count - 1 ? ";" : ""));
                }

                code.Outdent();
            }
        }

        code.Line();
        using (code.Block("public override int GetHashCode()"))
        {
            code.Line("HashCode hash = default;");
            foreach (FieldSpec field in structSpec.Fields)
            {
                string prop = Prop(field);
                code.Line(field.Type.Kind switch
                {
                    FieldKind.Array => $"hash.Add({prop}?.Count ?? -1);",
                    FieldKind.Bytes => $"hash.Add({prop}?.Length ?? -1);",
                    FieldKind.Records => $"hash.Add({prop}?.Length ?? -1);",
                    _ => $"hash.Add({prop});",
                });
            }

            code.Line("return hash.ToHashCode();");
        }
    }

    private string FieldEquality(FieldSpec field)
    {
        string prop = Prop(field);
        return field.Type.Kind switch
        {
            FieldKind.String => $"string.Equals({prop}, other.{prop}, StringComparison.Ordinal)",
            FieldKind.Float64 => $"{prop}.Equals(other.{prop})",
            FieldKind.Bytes => $"MessageSupport.BytesEqual({prop}, other.{prop})",
            FieldKind.Records => $"MessageSupport.RecordsEqual({prop}, other.{prop})",
            FieldKind.Array => $"MessageSupport.ListEqual({prop}, other.{prop})",
            FieldKind.Struct => $"EqualityComparer<{_types.ClassOf(field.Type)}?>.Default.Equals({prop}, other.{prop})",
            _ => $"{prop} == other.{prop}",
        };
    }
}
