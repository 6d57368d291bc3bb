using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>The Size method: the exact number of bytes Write produces for the same version.</summary>
internal sealed partial class StructEmitter
{
    private void EmitSize(StructSpec structSpec, bool isRoot)
    {
        VersionRange context = structSpec.Versions;
        using (code.Block("public int Size(short version)"))
        {
            EmitVersionCheck(structSpec, isRoot);
            code.Line("int size = 0;");
            foreach (FieldSpec field in structSpec.Fields)
            {
                VersionConditions.If(code, field.UntaggedVersions, context, inside => EmitSizeValue(field, inside, Prop(field), "size", forceCompact: false));
            }

            VersionConditions.If(code, Spec.FlexibleVersions, context, flexible => EmitSizeTaggedSection(structSpec, flexible));
            code.Line("return size;");
        }
    }

    private void EmitSizeTaggedSection(StructSpec structSpec, VersionRange context)
    {
        code.Line("int taggedCount = UnknownTaggedFields?.Count ?? 0;");
        code.Line("size += MessageSupport.UnknownTaggedFieldsSize(UnknownTaggedFields);");
        foreach (FieldSpec field in TaggedFields(structSpec))
        {
            VersionConditions.If(code, field.TaggedVersions.Intersect(field.Versions), context, inside =>
            {
                using (code.Block($"if ({_types.NonDefaultCheck(field, Prop(field), File)})"))
                {
                    code.Line("taggedCount++;");
                    code.Line("int tagSize = 0;");
                    EmitSizeValue(field, inside, Prop(field), "tagSize", forceCompact: true);
                    code.Line($"size += WireSize.UnsignedVarInt({field.Tag}) + WireSize.UnsignedVarInt((uint)tagSize) + tagSize;");
                }
            });
        }

        code.Line("size += WireSize.UnsignedVarInt((uint)taggedCount);");
    }

    private void EmitSizeValue(FieldSpec field, VersionRange context, string value, string target, bool forceCompact)
    {
        if (field.Type.FixedSize is int fixedSize)
        {
            code.Line($"{target} += {fixedSize};");
            return;
        }

        void ByNullability(VersionRange c, bool compact) =>
            VersionConditions.If(
                code,
                field.NullableVersions,
                c,
                inner => EmitSizeBody(field, value, target, compact, nullable: true),
                inner => EmitSizeBody(field, value, target, compact, nullable: false));

        if (field.Type.Kind is FieldKind.String or FieldKind.Bytes or FieldKind.Records)
        {
            // The size of a null and of a present value follow the same formula; only compactness matters.
            if (forceCompact)
            {
                EmitSizeBody(field, value, target, compact: true, nullable: true);
            }
            else
            {
                VersionConditions.If(
                    code,
                    FlexibleOf(field),
                    context,
                    c => EmitSizeBody(field, value, target, compact: true, nullable: true),
                    c => EmitSizeBody(field, value, target, compact: false, nullable: true));
            }
        }
        else if (field.Type.IsStruct)
        {
            ByNullability(context, compact: false);
        }
        else if (forceCompact)
        {
            EmitSizeBody(field, value, target, compact: true, nullable: true);
        }
        else
        {
            VersionConditions.If(
                code,
                FlexibleOf(field),
                context,
                c => EmitSizeBody(field, value, target, compact: true, nullable: true),
                c => EmitSizeBody(field, value, target, compact: false, nullable: true));
        }
    }

    private void EmitSizeBody(FieldSpec field, string value, string target, bool compact, bool nullable)
    {
        string compactPart = compact ? "Compact" : "";
        switch (field.Type.Kind)
        {
            case FieldKind.String:
                code.Line($"{target} += WireSize.{compactPart}String({value});");
                break;
            case FieldKind.Bytes:
                code.Line($"{target} += WireSize.{compactPart}Bytes({value}?.Length);");
                break;
            case FieldKind.Records:
                code.Line($"{target} += MessageSupport.RecordsSize({value}, compact: {(compact ? "true" : "false")});");
                break;
            case FieldKind.Struct:
                code.Line(nullable
                    ? $"{target} += {value} is null ? 1 : 1 + {value}.Size(version);"
                    : $"{target} += ({value} ?? throw MessageSupport.NullValue(\"{field.Name}\")).Size(version);");
                break;
            case FieldKind.Array:
                EmitSizeArray(field, value, target, compact);
                break;
            default:
                throw new InvalidOperationException($"{File}: cannot size {field.TypeText}.");
        }
    }

    private void EmitSizeArray(FieldSpec field, string value, string target, bool compact)
    {
        FieldType element = field.Type.Element!;
        code.Line(compact ? $"{target} += WireSize.CompactArrayLength({value}?.Count);" : $"{target} += WireSize.ArrayLength;");
        if (element.FixedSize is int elementSize)
        {
            code.Line($"{target} += ({value}?.Count ?? 0) * {elementSize};");
            return;
        }

        using (code.Block($"if ({value} is not null)"))
        {
            using (code.Block($"foreach ({_types.ScalarType(element)} item in {value})"))
            {
                code.Line(element.Kind switch
                {
                    FieldKind.Struct => $"{target} += (item ?? throw MessageSupport.NullValue(\"{field.Name}\")).Size(version);",
                    FieldKind.String => $"{target} += WireSize.{(compact ? "Compact" : "")}String(item);",
                    FieldKind.Bytes => $"{target} += WireSize.{(compact ? "Compact" : "")}Bytes(item.Length);",
                    _ => throw new SchemaException($"{File}: arrays of {element.Kind} are not supported."),
                });
            }
        }
    }
}
