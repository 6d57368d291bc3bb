using System.Buffers;
using System.Collections;
using System.Reflection;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>
/// Fills a generated message with random values for one version, driven by its schema: only fields that exist in
/// that version get values, null only where the version allows it, and tagged fields are sometimes left at their
/// default (so both "written" and "omitted" paths run). A seeded <see cref="Random"/> keeps failures reproducible.
/// </summary>
internal sealed class RandomMessageFiller(MessageSpec spec, short version, int seed, bool addUnknownTaggedFields = false)
{
    private const int MaxDepth = 4;
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, IReadOnlyList<FieldSpec>> _structs = CollectStructs(spec);

    public void Fill(object message) => FillFields(message, spec.Fields, depth: 0);

    private void FillFields(object target, IReadOnlyList<FieldSpec> fields, int depth)
    {
        foreach (FieldSpec field in fields)
        {
            if (!field.Versions.Contains(version))
            {
                continue;
            }

            bool tagged = field.TaggedVersions.Contains(version);
            if (tagged && _random.Next(3) == 0)
            {
                continue;
            }

            PropertyInfo property = PropertyOf(target, field);
            property.SetValue(target, RandomValue(field, property.PropertyType, depth));
        }

        if (addUnknownTaggedFields && spec.FlexibleVersions.Contains(version))
        {
            target.GetType().GetProperty("UnknownTaggedFields")!.SetValue(target, RandomUnknownTaggedFields(fields));
        }
    }

    /// <summary>One to three tagged fields with tags the struct does not define, in ascending tag order.</summary>
    private List<RawTaggedField> RandomUnknownTaggedFields(IReadOnlyList<FieldSpec> fields)
    {
        HashSet<int> known = [.. fields.Where(f => f.Tag is not null).Select(f => f.Tag!.Value)];
        SortedSet<int> tags = [];
        int wanted = 1 + _random.Next(3);
        while (tags.Count < wanted)
        {
            // Small tags land between known ones, large ones after them.
            int tag = _random.Next(2) == 0 ? _random.Next(8) : 100 + _random.Next(100_000);
            if (!known.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        return [.. tags.Select(tag => new RawTaggedField(tag, RandomBytes()))];
    }

    private object? RandomValue(FieldSpec field, Type propertyType, int depth)
    {
        if (field.NullableVersions.Contains(version) && _random.Next(5) == 0)
        {
            return null;
        }

        FieldType type = field.Type;
        if (type.IsArray)
        {
            Type elementType = propertyType.GetGenericArguments()[0];
            IList list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            int count = depth >= MaxDepth ? 0 : _random.Next(4);
            for (int i = 0; i < count; i++)
            {
                list.Add(type.Element!.IsStruct ? RandomStruct(type.Element, elementType, depth) : RandomScalar(type.Element, elementType));
            }

            return list;
        }

        return type.IsStruct ? RandomStruct(type, Nullable.GetUnderlyingType(propertyType) ?? propertyType, depth) : RandomScalar(type, propertyType);
    }

    private object RandomStruct(FieldType type, Type classType, int depth)
    {
        object value = Activator.CreateInstance(classType)!;
        FillFields(value, _structs[type.StructName!], depth + 1);
        return value;
    }

    private object RandomScalar(FieldType type, Type propertyType) => type.Kind switch
    {
        FieldKind.Bool => _random.Next(2) == 1,
        FieldKind.Int8 => (sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        FieldKind.Int16 => (short)_random.Next(short.MinValue, short.MaxValue + 1),
        FieldKind.UInt16 => (ushort)_random.Next(ushort.MaxValue + 1),
        FieldKind.Int32 => _random.Next(4) == 0 ? -1 : _random.Next(int.MinValue, int.MaxValue),
        FieldKind.UInt32 => (uint)_random.NextInt64(uint.MaxValue + 1L),
        FieldKind.Int64 => _random.NextInt64(long.MinValue, long.MaxValue),
        FieldKind.Float64 => BitConverter.Int64BitsToDouble(_random.NextInt64()),
        FieldKind.String => RandomString(),
        FieldKind.Uuid => RandomGuid(),
        FieldKind.Bytes => RandomBytes(),
        FieldKind.Records => new ReadOnlySequence<byte>(RandomBytes()),
        _ => throw new InvalidOperationException($"No random value for {type.Kind} ({propertyType.Name})."),
    };

    private string RandomString()
    {
        // Mostly ASCII, sometimes multi-byte characters so byte and char lengths differ.
        const string alphabet = "abcdefghijklmnopqrstuvwxyz-_.0123456789é€😀";
        int length = _random.Next(12);
        System.Text.StringBuilder builder = new();
        for (int i = 0; i < length; i++)
        {
            int index = _random.Next(alphabet.Length - 1);
            builder.Append(char.IsHighSurrogate(alphabet[index]) ? alphabet.Substring(index, 2) : alphabet[index].ToString());
        }

        return builder.ToString();
    }

    private Guid RandomGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private byte[] RandomBytes()
    {
        byte[] bytes = new byte[_random.Next(20)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static PropertyInfo PropertyOf(object target, FieldSpec field)
    {
        string name = KafkaSharp.ProtocolGen.Emit.Names.Property(field.Name);
        return target.GetType().GetProperty(name)
            ?? throw new InvalidOperationException($"{target.GetType().Name} has no property {name}.");
    }

    private static Dictionary<string, IReadOnlyList<FieldSpec>> CollectStructs(MessageSpec spec)
    {
        Dictionary<string, IReadOnlyList<FieldSpec>> structs = new(StringComparer.Ordinal);
        void Walk(IReadOnlyList<FieldSpec> fields)
        {
            foreach (FieldSpec field in fields)
            {
                if (field.Fields is not null)
                {
                    structs[(field.Type.Element ?? field.Type).StructName!] = field.Fields;
                    Walk(field.Fields);
                }
            }
        }

        Walk(spec.Fields);
        foreach (StructSpec common in spec.CommonStructs)
        {
            structs[common.Name] = common.Fields;
            Walk(common.Fields);
        }

        return structs;
    }
}
