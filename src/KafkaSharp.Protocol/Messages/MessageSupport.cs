using System.Buffers;

namespace KafkaSharp.Protocol.Messages;

/// <summary>Helpers the generated message code calls; kept here so the generated files stay short.</summary>
internal static class MessageSupport
{
    public static void CheckVersion(short version, short lowest, short highest, string message)
    {
        if (version < lowest || version > highest)
        {
            throw new UnsupportedVersionException($"{message} has no version {version}; valid versions are {lowest} to {highest}.");
        }
    }

    public static KafkaProtocolException NullValue(string field) =>
        new($"Field {field} is null in a version where it cannot be.");

    public static UnsupportedVersionException NotInVersion(string field, short version) =>
        new($"Field {field} holds a value other than its default, but version {version} has no such field.");

    public static KafkaProtocolException TagNotValid(int tag, short version) =>
        new($"Tagged field {tag} is not valid in version {version}.");

    public static UnsupportedVersionException TaggedFieldsNotSupported(short version) =>
        new($"Unknown tagged fields are set, but version {version} of this message has no tagged fields.");

    /// <summary>A known tagged field must fill exactly the size its header declared.</summary>
    public static void CheckTaggedFieldEnd(long remaining, int tag)
    {
        if (remaining != 0)
        {
            throw new KafkaProtocolException($"Tagged field {tag} declares {remaining} more bytes than its value uses.");
        }
    }

    public static int RecordsSize(ReadOnlySequence<byte>? records, bool compact)
    {
        if (records is not { } value)
        {
            return compact ? 1 : 4;
        }

        int length = checked((int)value.Length);
        return (compact ? WireSize.UnsignedVarInt((uint)length + 1) : 4) + length;
    }

    public static int UnknownTaggedFieldsSize(List<RawTaggedField>? fields)
    {
        if (fields is null)
        {
            return 0;
        }

        int size = 0;
        foreach (RawTaggedField field in fields)
        {
            size += WireSize.UnsignedVarInt((uint)field.Tag) + WireSize.UnsignedVarInt((uint)field.Data.Length) + field.Data.Length;
        }

        return size;
    }

    public static void WriteUnknownTaggedFields(ref KafkaWriter writer, List<RawTaggedField>? fields)
    {
        if (fields is null)
        {
            return;
        }

        foreach (RawTaggedField field in fields)
        {
            writer.WriteRawTaggedField(field);
        }
    }

    /// <summary>
    /// Writes the unknown tagged fields from <paramref name="index"/> on whose tag is below <paramref name="tag"/>
    /// (all remaining ones for <see cref="uint.MaxValue"/>), so they interleave with the known ones in tag order.
    /// </summary>
    public static void WriteUnknownTaggedFieldsBelow(ref KafkaWriter writer, List<RawTaggedField>? fields, ref int index, uint tag)
    {
        if (fields is null)
        {
            return;
        }

        while (index < fields.Count && ((uint)fields[index].Tag < tag || tag == uint.MaxValue))
        {
            writer.WriteRawTaggedField(fields[index]);
            index++;
        }
    }

    public static bool BytesEqual(byte[]? left, byte[]? right) =>
        left is null ? right is null : right is not null && left.AsSpan().SequenceEqual(right);

    public static bool RecordsEqual(ReadOnlySequence<byte>? left, ReadOnlySequence<byte>? right)
    {
        if (left is not { } a || right is not { } b)
        {
            return left is null && right is null;
        }

        if (a.Length != b.Length)
        {
            return false;
        }

        return a.IsSingleSegment && b.IsSingleSegment
            ? a.FirstSpan.SequenceEqual(b.FirstSpan)
            : a.ToArray().AsSpan().SequenceEqual(b.ToArray());
    }

    public static bool ListEqual<T>(List<T>? left, List<T>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Unknown tagged fields compare by tag and bytes; a missing list equals an empty one.</summary>
    public static bool TaggedFieldsEqual(List<RawTaggedField>? left, List<RawTaggedField>? right)
    {
        int leftCount = left?.Count ?? 0;
        if (leftCount != (right?.Count ?? 0))
        {
            return false;
        }

        for (int i = 0; i < leftCount; i++)
        {
            if (left![i].Tag != right![i].Tag || !left[i].Data.AsSpan().SequenceEqual(right[i].Data))
            {
                return false;
            }
        }

        return true;
    }
}
