using System.Globalization;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>C# types, defaults and default checks for schema fields.</summary>
internal sealed class FieldTypes(MessageModel model)
{
    public string ClassOf(FieldType type) => model.StructOf(type).ClassName;

    /// <summary>The C# type of one value of a non-array type (an array's element type).</summary>
    public string ScalarType(FieldType type) => type.Kind switch
    {
        FieldKind.Bool => "bool",
        FieldKind.Int8 => "sbyte",
        FieldKind.Int16 => "short",
        FieldKind.UInt16 => "ushort",
        FieldKind.Int32 => "int",
        FieldKind.UInt32 => "uint",
        FieldKind.Int64 => "long",
        FieldKind.Float64 => "double",
        FieldKind.String => "string",
        FieldKind.Uuid => "Guid",
        FieldKind.Bytes => "byte[]",
        FieldKind.Records => "ReadOnlySequence<byte>?",
        FieldKind.Struct => ClassOf(type),
        FieldKind.Array => $"List<{ScalarType(type.Element!)}>",
        _ => throw new InvalidOperationException(type.Kind.ToString()),
    };

    /// <summary>The property type: reference types get "?" when the field is nullable in some version.</summary>
    public string PropertyType(FieldSpec field)
    {
        string type = ScalarType(field.Type);
        bool nullable = !field.NullableVersions.IsEmpty && field.Type.Kind != FieldKind.Records;
        return nullable ? type + "?" : type;
    }

    /// <summary>True when the schema's default is null.</summary>
    public static bool DefaultIsNull(FieldSpec field) =>
        field.Type.Kind == FieldKind.Records || (field.Default == "null" && field.Type.CanBeNull);

    /// <summary>The C# expression of the field's default value.</summary>
    public string DefaultValue(FieldSpec field, string file)
    {
        if (field.Default == "null")
        {
            if (!field.Type.CanBeNull || (field.NullableVersions.IsEmpty && field.Type.Kind != FieldKind.Records))
            {
                throw new SchemaException($"{file}: field \"{field.Name}\" has default null but is never nullable.");
            }

            return "null";
        }

        string? text = field.Default;
        switch (field.Type.Kind)
        {
            case FieldKind.Bool:
                return text is null or "false" ? "false"
                    : text == "true" ? "true"
                    : throw BadDefault(field, file);
            case FieldKind.Int8:
            case FieldKind.Int16:
            case FieldKind.UInt16:
            case FieldKind.Int32:
            case FieldKind.UInt32:
            case FieldKind.Int64:
                return IntegerLiteral(field, file);
            case FieldKind.Float64:
                if (text is null)
                {
                    return "0d";
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number)
                    ? number.ToString("R", CultureInfo.InvariantCulture) + "d"
                    : throw BadDefault(field, file);
            case FieldKind.String:
                return Names.StringLiteral(text ?? "");
            case FieldKind.Uuid:
                return text is null or "" or "AAAAAAAAAAAAAAAAAAAAAA" ? "Guid.Empty" : throw BadDefault(field, file);
            case FieldKind.Bytes:
                return text is null or "" ? "[]" : throw BadDefault(field, file);
            case FieldKind.Records:
                return "null";
            case FieldKind.Array:
            case FieldKind.Struct:
                return text is null or "" ? "new()" : throw BadDefault(field, file);
            default:
                throw BadDefault(field, file);
        }
    }

    /// <summary>A boolean C# expression that is true when <paramref name="value"/> differs from the default.</summary>
    public string NonDefaultCheck(FieldSpec field, string value, string file)
    {
        if (DefaultIsNull(field))
        {
            return $"{value} is not null";
        }

        string defaultValue = DefaultValue(field, file);
        return field.Type.Kind switch
        {
            FieldKind.Float64 => $"!{value}.Equals({defaultValue})",
            FieldKind.Bytes => $"({value} is null || {value}.Length != 0)",
            FieldKind.Array => $"({value} is null || {value}.Count != 0)",
            FieldKind.Struct => $"!new {ClassOf(field.Type)}().Equals({value})",
            _ => $"{value} != {defaultValue}",
        };
    }

    private static string IntegerLiteral(FieldSpec field, string file)
    {
        string? text = field.Default;
        if (text is null or "")
        {
            return "0";
        }

        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        bool parsed = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong magnitude)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        if (!parsed)
        {
            throw BadDefault(field, file);
        }

        (decimal min, decimal max) = field.Type.Kind switch
        {
            FieldKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            FieldKind.Int16 => (short.MinValue, short.MaxValue),
            FieldKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
            FieldKind.Int32 => (int.MinValue, int.MaxValue),
            FieldKind.UInt32 => (uint.MinValue, uint.MaxValue),
            _ => ((decimal)long.MinValue, (decimal)long.MaxValue),
        };
        decimal value = negative ? -(decimal)magnitude : magnitude;
        if (value < min || value > max)
        {
            throw new SchemaException($"{file}: default \"{text}\" of field \"{field.Name}\" does not fit its type.");
        }

        // int.MinValue and long.MinValue cannot be written as a negated literal of the same type.
        if (field.Type.Kind == FieldKind.Int32 && value == int.MinValue)
        {
            return "int.MinValue";
        }

        if (field.Type.Kind == FieldKind.Int64 && value == long.MinValue)
        {
            return "long.MinValue";
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static SchemaException BadDefault(FieldSpec field, string file) =>
        new($"{file}: field \"{field.Name}\" of type {field.TypeText} has an unusable default \"{field.Default}\".");
}
