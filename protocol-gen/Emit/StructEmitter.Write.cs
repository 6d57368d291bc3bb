using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>
/// The Write method. A field the target version lacks may only hold its default unless the schema marks it
/// ignorable, as in Kafka's own generated code: silently dropping it would change the message's meaning.
/// </summary>
internal sealed partial class StructEmitter
{
    private void EmitWrite(StructSpec structSpec, bool isRoot)
    {
        VersionRange context = structSpec.Versions;
        using (code.Block("public void Write(ref KafkaWriter writer, short version)"))
        {
            EmitVersionCheck(structSpec, isRoot);
            foreach (FieldSpec field in structSpec.Fields)
            {
                VersionConditions.If(code, field.UntaggedVersions, context, inside => EmitWriteValue(field, inside, Prop(field), forceCompact: false));
                if (!field.Ignorable)
                {
                    EmitAbsentFieldCheck(field, context);
                }
            }

            VersionConditions.If(
                code,
                Spec.FlexibleVersions,
                context,
                flexible => EmitWriteTaggedSection(structSpec, flexible),
                HasTaggedSection(structSpec) ? _ => EmitNoTaggedFieldsCheck() : null);
        }
    }

    /// <summary>A version without a tagged-field section cannot carry unknown tagged fields; Kafka refuses too.</summary>
    private void EmitNoTaggedFieldsCheck()
    {
        using (code.Block("if (UnknownTaggedFields is { Count: > 0 })"))
        {
            code.Line("throw MessageSupport.TaggedFieldsNotSupported(version);");
        }
    }

    private void EmitAbsentFieldCheck(FieldSpec field, VersionRange context)
    {
        string check = $"if ({_types.NonDefaultCheck(field, Prop(field), File)})";
        string failure = $"throw MessageSupport.NotInVersion(\"{field.Name}\", version);";
        List<VersionRange> gaps = [];
        if (field.Versions.IsEmpty)
        {
            gaps.Add(context);
        }
        else
        {
            if (field.Versions.Lowest > 0)
            {
                gaps.Add(new VersionRange(0, (short)(field.Versions.Lowest - 1)));
            }

            if (!field.Versions.IsOpenEnded)
            {
                gaps.Add(new VersionRange((short)(field.Versions.Highest + 1), short.MaxValue));
            }
        }

        foreach (VersionRange gap in gaps)
        {
            VersionConditions.If(code, gap, context, _ =>
            {
                using (code.Block(check))
                {
                    code.Line(failure);
                }
            });
        }
    }

    private void EmitWriteTaggedSection(StructSpec structSpec, VersionRange context)
    {
        List<FieldSpec> tagged = TaggedFields(structSpec);
        code.Line("int taggedCount = UnknownTaggedFields?.Count ?? 0;");
        foreach (FieldSpec field in tagged)
        {
            VersionConditions.If(code, field.TaggedVersions.Intersect(field.Versions), context, _ =>
            {
                using (code.Block($"if ({_types.NonDefaultCheck(field, Prop(field), File)})"))
                {
                    code.Line("taggedCount++;");
                }
            });
        }

        code.Line("writer.WriteUnsignedVarInt((uint)taggedCount);");
        if (tagged.Count == 0)
        {
            code.Line("MessageSupport.WriteUnknownTaggedFields(ref writer, UnknownTaggedFields);");
            return;
        }

        // Tagged fields go out in ascending tag order, unknown ones merged in between the known ones.
        code.Line("int unknownIndex = 0;");
        foreach (FieldSpec field in tagged)
        {
            code.Line($"MessageSupport.WriteUnknownTaggedFieldsBelow(ref writer, UnknownTaggedFields, ref unknownIndex, {field.Tag});");
            VersionConditions.If(code, field.TaggedVersions.Intersect(field.Versions), context, inside =>
            {
                using (code.Block($"if ({_types.NonDefaultCheck(field, Prop(field), File)})"))
                {
                    code.Line("int tagSize = 0;");
                    EmitSizeValue(field, inside, Prop(field), "tagSize", forceCompact: true);
                    code.Line($"writer.WriteUnsignedVarInt({field.Tag});");
                    code.Line("writer.WriteUnsignedVarInt((uint)tagSize);");
                    EmitWriteValue(field, inside, Prop(field), forceCompact: true);
                }
            });
        }

        code.Line("MessageSupport.WriteUnknownTaggedFieldsBelow(ref writer, UnknownTaggedFields, ref unknownIndex, uint.MaxValue);");
    }

    private void EmitWriteValue(FieldSpec field, VersionRange context, string value, bool forceCompact)
    {
        if (field.Type.FixedSize is not null)
        {
            code.Line($"writer.{FixedWriteMethod(field.Type)}({value});");
            return;
        }

        void ByNullability(VersionRange c, bool compact) =>
            VersionConditions.If(
                code,
                field.NullableVersions,
                c,
                inner => EmitWriteBody(field, value, compact, nullable: true),
                inner => EmitWriteBody(field, value, compact, nullable: false));

        if (field.Type.IsStruct)
        {
            // For structs "compact" only tells whether the value is a tagged field (see EmitWriteBody).
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

    private void EmitWriteBody(FieldSpec field, string value, bool compact, bool nullable)
    {
        string compactPart = compact ? "Compact" : "";
        string orThrow = $"{value} ?? throw MessageSupport.NullValue(\"{field.Name}\")";
        switch (field.Type.Kind)
        {
            case FieldKind.String:
                code.Line(nullable ? $"writer.Write{compactPart}NullableString({value});" : $"writer.Write{compactPart}String({orThrow});");
                break;
            case FieldKind.Bytes:
                code.Line(nullable ? $"writer.Write{compactPart}NullableBytes({value});" : $"writer.Write{compactPart}Bytes({orThrow});");
                break;
            case FieldKind.Records:
                code.Line(nullable ? $"writer.Write{compactPart}Records({value});" : $"writer.Write{compactPart}Records({orThrow});");
                break;
            case FieldKind.Struct:
                if (nullable)
                {
                    // The presence marker is an int8, or an unsigned varint when the struct is a tagged field.
                    using (code.Block($"if ({value} is null)"))
                    {
                        code.Line(compact ? "writer.WriteUnsignedVarInt(0);" : "writer.WriteInt8(-1);");
                    }

                    using (code.Block("else"))
                    {
                        code.Line(compact ? "writer.WriteUnsignedVarInt(1);" : "writer.WriteInt8(1);");
                        code.Line($"{value}.Write(ref writer, version);");
                    }
                }
                else
                {
                    code.Line($"({orThrow}).Write(ref writer, version);");
                }

                break;
            case FieldKind.Array:
                EmitWriteArray(field, value, compact, nullable);
                break;
            default:
                throw new InvalidOperationException($"{File}: cannot write {field.TypeText}.");
        }
    }

    private void EmitWriteArray(FieldSpec field, string value, bool compact, bool nullable)
    {
        FieldType element = field.Type.Element!;
        string lengthMethod = compact ? "WriteCompactArrayLength" : "WriteArrayLength";
        using (code.Block(""))
        {
            if (nullable)
            {
                code.Line($"List<{_types.ScalarType(element)}>? items = {value};");
                using (code.Block("if (items is null)"))
                {
                    code.Line($"writer.{lengthMethod}(-1);");
                }

                code.Line("else");
                code.Line("{");
                code.Indent();
            }
            else
            {
                code.Line($"List<{_types.ScalarType(element)}> items = {value} ?? throw MessageSupport.NullValue(\"{field.Name}\");");
            }

            code.Line($"writer.{lengthMethod}(items.Count);");
            using (code.Block($"foreach ({_types.ScalarType(element)} item in items)"))
            {
                if (element.IsStruct)
                {
                    code.Line($"(item ?? throw MessageSupport.NullValue(\"{field.Name}\")).Write(ref writer, version);");
                }
                else
                {
                    code.Line($"writer.{ElementWriteMethod(element, compact)}(item);");
                }
            }

            if (nullable)
            {
                code.Outdent();
                code.Line("}");
            }
        }
    }

    private string ElementWriteMethod(FieldType element, bool compact) => element.Kind switch
    {
        FieldKind.String => compact ? "WriteCompactString" : "WriteString",
        FieldKind.Bytes => compact ? "WriteCompactBytes" : "WriteBytes",
        _ when element.FixedSize is not null => FixedWriteMethod(element),
        _ => throw new SchemaException($"{File}: arrays of {element.Kind} are not supported."),
    };

    private static string FixedWriteMethod(FieldType type) => type.Kind switch
    {
        FieldKind.Bool => "WriteBool",
        FieldKind.Int8 => "WriteInt8",
        FieldKind.Int16 => "WriteInt16",
        FieldKind.UInt16 => "WriteUInt16",
        FieldKind.Int32 => "WriteInt32",
        FieldKind.UInt32 => "WriteUInt32",
        FieldKind.Int64 => "WriteInt64",
        FieldKind.Float64 => "WriteFloat64",
        FieldKind.Uuid => "WriteUuid",
        _ => throw new InvalidOperationException(type.Kind.ToString()),
    };
}
