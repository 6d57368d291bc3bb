using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>The Read method: fields in order, then (in flexible versions) the tagged-field section.</summary>
internal sealed partial class StructEmitter
{
    private void EmitRead(StructSpec structSpec, bool isRoot)
    {
        VersionRange context = structSpec.Versions;
        using (code.Block("public void Read(ref KafkaReader reader, short version)"))
        {
            EmitVersionCheck(structSpec, isRoot);
            if (HasTaggedSection(structSpec))
            {
                code.Line("UnknownTaggedFields = null;");
            }

            foreach (FieldSpec field in structSpec.Fields)
            {
                string prop = Prop(field);
                string defaultValue = _types.DefaultValue(field, File);
                VersionConditions.If(
                    code,
                    field.UntaggedVersions,
                    context,
                    inside => EmitReadValue(field, inside, "reader", prop, forceCompact: false),
                    outside => code.Line($"{prop} = {defaultValue};"));
            }

            VersionConditions.If(code, Spec.FlexibleVersions, context, flexible => EmitReadTaggedSection(structSpec, flexible));
        }
    }

    private void EmitReadTaggedSection(StructSpec structSpec, VersionRange context)
    {
        List<FieldSpec> tagged = TaggedFields(structSpec);
        code.Line("uint taggedCount = reader.ReadUnsignedVarInt();");
        using (code.Block("for (uint t = 0; t < taggedCount; t++)"))
        {
            code.Line("uint tag = reader.ReadUnsignedVarInt();");
            code.Line("uint tagSize = reader.ReadUnsignedVarInt();");
            if (tagged.Count == 0)
            {
                code.Line("(UnknownTaggedFields ??= []).Add(reader.ReadRawTaggedField((int)tag, (int)tagSize));");
                return;
            }

            using (code.Block("switch (tag)"))
            {
                foreach (FieldSpec field in tagged)
                {
                    // A known tag in a version where that field is not tagged is an error, as in Kafka.
                    code.Line($"case {field.Tag}:");
                    using (code.Block(""))
                    {
                        VersionConditions.If(
                            code,
                            field.TaggedVersions.Intersect(field.Versions),
                            context,
                            tagged =>
                            {
                                code.Line("KafkaReader tagReader = reader.ReadSubReader(tagSize);");
                                EmitReadValue(field, tagged, "tagReader", Prop(field), forceCompact: true);
                                code.Line($"MessageSupport.CheckTaggedFieldEnd(tagReader.Remaining, {field.Tag});");
                            },
                            _ => code.Line($"throw MessageSupport.TagNotValid({field.Tag}, version);"));
                        code.Line("break;");
                    }
                }

                code.Line("default:");
                code.Indent();
                code.Line("(UnknownTaggedFields ??= []).Add(reader.ReadRawTaggedField((int)tag, (int)tagSize));");
                code.Line("break;");
                code.Outdent();
            }
        }
    }

    /// <summary>Reads one field's value into <paramref name="target"/>, branching on compactness and nullability where versions differ.</summary>
    private void EmitReadValue(FieldSpec field, VersionRange context, string reader, string target, bool forceCompact)
    {
        if (field.Type.FixedSize is not null)
        {
            code.Line($"{target} = {reader}.{FixedReadMethod(field.Type)}();");
            return;
        }

        void ByNullability(VersionRange c, bool compact) =>
            VersionConditions.If(
                code,
                field.NullableVersions,
                c,
                inner => EmitReadBody(field, reader, target, compact, nullable: true),
                inner => EmitReadBody(field, reader, target, compact, nullable: false));

        if (field.Type.IsStruct)
        {
            // For structs "compact" only tells whether the value is a tagged field (see EmitReadStruct).
            ByNullability(context, compact: forceCompact);
        }
        else if (forceCompact)
        {
            ByNullability(context, compact: true);
        }
        else
        {
            VersionConditions.If(code, FlexibleOf(field), context, c => ByNullability(c, compact: true), c => ByNullability(c, compact: false));
        }
    }

    private void EmitReadBody(FieldSpec field, string reader, string target, bool compact, bool nullable)
    {
        string compactPart = compact ? "Compact" : "";
        string nullablePart = nullable ? "Nullable" : "";
        switch (field.Type.Kind)
        {
            case FieldKind.String:
                code.Line($"{target} = {reader}.Read{compactPart}{nullablePart}String();");
                break;
            case FieldKind.Bytes:
                code.Line($"{target} = {reader}.Read{compactPart}{nullablePart}Bytes();");
                break;
            case FieldKind.Records:
                code.Line(nullable
                    ? $"{target} = {reader}.Read{compactPart}Records();"
                    : $"{target} = {reader}.Read{compactPart}Records() ?? throw MessageSupport.NullValue(\"{field.Name}\");");
                break;
            case FieldKind.Struct:
                EmitReadStruct(field, reader, target, nullable, tagged: compact);
                break;
            case FieldKind.Array:
                EmitReadArray(field, reader, target, compact, nullable);
                break;
            default:
                throw new InvalidOperationException($"{File}: cannot read {field.TypeText}.");
        }
    }

    private void EmitReadStruct(FieldSpec field, string reader, string target, bool nullable, bool tagged)
    {
        string className = _types.ClassOf(field.Type);
        if (!nullable)
        {
            code.Line($"{target} = new {className}();");
            code.Line($"{target}.Read(ref {reader}, version);");
            return;
        }

        // A nullable struct is preceded by a marker: int8 -1 for null and 1 for present, but as a tagged field
        // an unsigned varint, 0 for null.
        using (code.Block(tagged ? $"if ({reader}.ReadUnsignedVarInt() == 0)" : $"if ({reader}.ReadInt8() < 0)"))
        {
            code.Line($"{target} = null;");
        }

        using (code.Block("else"))
        {
            code.Line($"{className} value = new();");
            code.Line($"value.Read(ref {reader}, version);");
            code.Line($"{target} = value;");
        }
    }

    private void EmitReadArray(FieldSpec field, string reader, string target, bool compact, bool nullable)
    {
        FieldType element = field.Type.Element!;
        string elementType = _types.ScalarType(element);
        using (code.Block(""))
        {
            code.Line($"int count = {reader}.Read{(compact ? "Compact" : "")}ArrayLength();");
            using (code.Block("if (count < 0)"))
            {
                code.Line(nullable ? $"{target} = null;" : $"throw MessageSupport.NullValue(\"{field.Name}\");");
            }

            using (code.Block(nullable ? "else" : ""))
            {
                // The count is already bounded by the bytes left; starting small also keeps a count the elements
                // never back up from reserving memory before they are read.
                code.Line($"List<{elementType}> items = new(Math.Min(count, 64));");
                using (code.Block("for (int i = 0; i < count; i++)"))
                {
                    if (element.IsStruct)
                    {
                        code.Line($"{elementType} item = new();");
                        code.Line($"item.Read(ref {reader}, version);");
                        code.Line("items.Add(item);");
                    }
                    else
                    {
                        code.Line($"items.Add({reader}.{ElementReadMethod(element, compact)}());");
                    }
                }

                code.Line($"{target} = items;");
            }
        }
    }

    private string ElementReadMethod(FieldType element, bool compact) => element.Kind switch
    {
        FieldKind.String => compact ? "ReadCompactString" : "ReadString",
        FieldKind.Bytes => compact ? "ReadCompactBytes" : "ReadBytes",
        _ when element.FixedSize is not null => FixedReadMethod(element),
        _ => throw new SchemaException($"{File}: arrays of {element.Kind} are not supported."),
    };

    private static string FixedReadMethod(FieldType type) => type.Kind switch
    {
        FieldKind.Bool => "ReadBool",
        FieldKind.Int8 => "ReadInt8",
        FieldKind.Int16 => "ReadInt16",
        FieldKind.UInt16 => "ReadUInt16",
        FieldKind.Int32 => "ReadInt32",
        FieldKind.UInt32 => "ReadUInt32",
        FieldKind.Int64 => "ReadInt64",
        FieldKind.Float64 => "ReadFloat64",
        FieldKind.Uuid => "ReadUuid",
        _ => throw new InvalidOperationException(type.Kind.ToString()),
    };
}
