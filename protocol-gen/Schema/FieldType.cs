namespace KafkaSharp.ProtocolGen.Schema;

public enum FieldKind
{
    Bool,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float64,
    String,
    Uuid,
    Bytes,
    Records,
    Struct,
    Array,
}

/// <summary>A field's type: a primitive, a struct (by its schema name) or an array of either.</summary>
public sealed record FieldType(FieldKind Kind, string? StructName = null, FieldType? Element = null)
{
    private static readonly Dictionary<string, FieldKind> s_primitives = new(StringComparer.Ordinal)
    {
        ["bool"] = FieldKind.Bool,
        ["int8"] = FieldKind.Int8,
        ["int16"] = FieldKind.Int16,
        ["uint16"] = FieldKind.UInt16,
        ["int32"] = FieldKind.Int32,
        ["uint32"] = FieldKind.UInt32,
        ["int64"] = FieldKind.Int64,
        ["float64"] = FieldKind.Float64,
        ["string"] = FieldKind.String,
        ["uuid"] = FieldKind.Uuid,
        ["bytes"] = FieldKind.Bytes,
        ["records"] = FieldKind.Records,
    };

    public bool IsArray => Kind == FieldKind.Array;

    public bool IsStruct => Kind == FieldKind.Struct;

    /// <summary>Types whose wire form can be null (given nullableVersions): strings, bytes, records, arrays, structs.</summary>
    public bool CanBeNull => Kind is FieldKind.String or FieldKind.Bytes or FieldKind.Records or FieldKind.Array or FieldKind.Struct;

    /// <summary>Bytes on the wire for fixed-size types, or null.</summary>
    public int? FixedSize => Kind switch
    {
        FieldKind.Bool or FieldKind.Int8 => 1,
        FieldKind.Int16 or FieldKind.UInt16 => 2,
        FieldKind.Int32 or FieldKind.UInt32 => 4,
        FieldKind.Int64 or FieldKind.Float64 => 8,
        FieldKind.Uuid => 16,
        _ => null,
    };

    public static FieldType? TryParse(string text)
    {
        if (text.StartsWith("[]", StringComparison.Ordinal))
        {
            FieldType? element = TryParse(text[2..]);
            return element is null || element.IsArray ? null : new FieldType(FieldKind.Array, Element: element);
        }

        if (s_primitives.TryGetValue(text, out FieldKind kind))
        {
            return new FieldType(kind);
        }

        return text.Length > 0 && char.IsAsciiLetterUpper(text[0]) && text.All(char.IsAsciiLetterOrDigit)
            ? new FieldType(FieldKind.Struct, StructName: text)
            : null;
    }
}
