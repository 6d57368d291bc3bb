using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>
/// A message with its struct types resolved: every struct a field names is found (inline or in commonStructs),
/// each struct knows the versions in which it can appear, and C# class names that would clash are renamed.
/// </summary>
internal sealed class MessageModel
{
    private readonly Dictionary<string, StructSpec> _structs = new(StringComparer.Ordinal);

    public MessageModel(MessageSpec spec)
    {
        Spec = spec;
        Root = new StructSpec { Name = spec.Name, ClassName = spec.Name, Fields = spec.Fields, Versions = spec.ValidVersions };
        CollectInline(spec.Fields);
        foreach (StructSpec common in spec.CommonStructs)
        {
            if (!_structs.TryAdd(common.Name, common))
            {
                throw new SchemaException($"{spec.FileName}: struct \"{common.Name}\" is defined more than once.");
            }

            Structs.Add(common);
            CollectInline(common.Fields);
        }

        CheckReferences(spec.Fields);
        foreach (StructSpec structSpec in Structs)
        {
            CheckReferences(structSpec.Fields);
            structSpec.Versions = VersionRange.None;
        }

        WidenUses(spec.Fields, spec.ValidVersions);
        foreach (StructSpec structSpec in Structs)
        {
            // A common struct no field uses still gets generated; give it the message's versions.
            if (structSpec.Versions.IsEmpty)
            {
                structSpec.Versions = spec.ValidVersions;
            }
        }

        RenameClashes();
    }

    public MessageSpec Spec { get; }

    public StructSpec Root { get; }

    /// <summary>Every struct type, inline ones in declaration order followed by the common ones.</summary>
    public List<StructSpec> Structs { get; } = [];

    public StructSpec StructOf(FieldType type) => _structs[(type.IsArray ? type.Element! : type).StructName!];

    private void CollectInline(IReadOnlyList<FieldSpec> fields)
    {
        foreach (FieldSpec field in fields)
        {
            if (field.Fields is null)
            {
                continue;
            }

            string name = (field.Type.IsArray ? field.Type.Element! : field.Type).StructName!;
            StructSpec structSpec = new() { Name = name, ClassName = name, Fields = field.Fields, Versions = field.Versions };
            if (!_structs.TryAdd(name, structSpec))
            {
                throw new SchemaException($"{Spec.FileName}: struct \"{name}\" is defined more than once.");
            }

            Structs.Add(structSpec);
            CollectInline(field.Fields);
        }
    }

    private void CheckReferences(IReadOnlyList<FieldSpec> fields)
    {
        foreach (FieldSpec field in fields)
        {
            FieldType type = field.Type.IsArray ? field.Type.Element! : field.Type;
            if (type.IsStruct && !_structs.ContainsKey(type.StructName!))
            {
                throw new SchemaException($"{Spec.FileName}: field \"{field.Name}\" uses struct \"{type.StructName}\", which is neither declared inline nor in commonStructs.");
            }
        }
    }

    private void WidenUses(IReadOnlyList<FieldSpec> fields, VersionRange context)
    {
        foreach (FieldSpec field in fields)
        {
            FieldType type = field.Type.IsArray ? field.Type.Element! : field.Type;
            if (!type.IsStruct)
            {
                continue;
            }

            StructSpec structSpec = _structs[type.StructName!];
            VersionRange use = field.Versions.Intersect(context);
            VersionRange widened = structSpec.Versions.Hull(use);
            if (widened != structSpec.Versions)
            {
                structSpec.Versions = widened;
                WidenUses(structSpec.Fields, widened);
            }
        }
    }

    /// <summary>
    /// Struct classes are nested in the message class, so a struct named like one of the message's properties
    /// (or like one of its own properties, or like the message) cannot keep its name in C#: it gets "Data" appended.
    /// </summary>
    private void RenameClashes()
    {
        HashSet<string> rootProperties = new(Spec.Fields.Select(f => Names.Property(f.Name)), StringComparer.Ordinal);
        HashSet<string> taken = new(Structs.Select(s => s.Name), StringComparer.Ordinal) { Spec.Name };
        foreach (StructSpec structSpec in Structs)
        {
            bool clashes = rootProperties.Contains(structSpec.Name)
                || structSpec.Name == Spec.Name
                || structSpec.Fields.Any(f => Names.Property(f.Name) == structSpec.Name);
            if (!clashes)
            {
                continue;
            }

            string renamed = structSpec.Name + "Data";
            while (!taken.Add(renamed) || rootProperties.Contains(renamed))
            {
                renamed += "_";
            }

            structSpec.ClassName = renamed;
        }
    }
}
