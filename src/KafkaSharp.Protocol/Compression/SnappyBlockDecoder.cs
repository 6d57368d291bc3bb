using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// Decodes the elements of one raw snappy block (after its length preamble) straight into the caller's span, so
/// reading a snappy batch allocates nothing. Elements: a tag byte whose low two bits say literal (0), or a copy of
/// earlier output with a 1-, 2- or 4-byte offset (1, 2, 3).
/// </summary>
internal static class SnappyBlockDecoder
{
    /// <summary>Decodes <paramref name="elements"/> into exactly all of <paramref name="output"/>; anything else is corrupt.</summary>
    public static void Decode(ReadOnlySpan<byte> elements, Span<byte> output)
    {
        int written = 0;
        int position = 0;
        while (position < elements.Length)
        {
            byte tag = elements[position++];
            int length;
            int offset;
            switch (tag & 0x03)
            {
                case 0:
                    length = LiteralLength(elements, ref position, tag);
                    if (length > elements.Length - position || length > output.Length - written)
                    {
                        CompressionThrow.Corrupt("snappy", "literal runs past the end of the block or the output");
                    }

                    elements.Slice(position, length).CopyTo(output[written..]);
                    position += length;
                    written += length;
                    continue;
                case 1:
                    Need(elements, position, 1);
                    length = 4 + ((tag >> 2) & 0x07);
                    offset = ((tag >> 5) << 8) | elements[position];
                    position += 1;
                    break;
                case 2:
                    Need(elements, position, 2);
                    length = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(elements[position..]);
                    position += 2;
                    break;
                default:
                    Need(elements, position, 4);
                    length = (tag >> 2) + 1;
                    uint wide = BinaryPrimitives.ReadUInt32LittleEndian(elements[position..]);
                    offset = wide > int.MaxValue ? 0 : (int)wide;
                    position += 4;
                    break;
            }

            if (offset <= 0 || offset > written || length > output.Length - written)
            {
                CompressionThrow.Corrupt("snappy", $"copy of {length} byte(s) from offset {offset} with {written} byte(s) written");
            }

            Copy(output, written, offset, length);
            written += length;
        }

        if (written != output.Length)
        {
            CompressionThrow.Corrupt("snappy", "decoded length differs from the declared length");
        }
    }

    private static int LiteralLength(ReadOnlySpan<byte> elements, ref int position, byte tag)
    {
        int code = tag >> 2;
        if (code < 60)
        {
            return code + 1;
        }

        // 60..63: the length minus one follows in 1..4 little-endian bytes.
        int bytes = code - 59;
        Need(elements, position, bytes);
        uint value = 0;
        for (int i = 0; i < bytes; i++)
        {
            value |= (uint)elements[position + i] << (8 * i);
        }

        position += bytes;
        if (value >= int.MaxValue)
        {
            CompressionThrow.Corrupt("snappy", "literal length overflows");
        }

        return (int)value + 1;
    }

    /// <summary>Copies earlier output forward; an offset shorter than the length repeats the pattern, so it goes in steps.</summary>
    private static void Copy(Span<byte> output, int written, int offset, int length)
    {
        int source = written - offset;
        while (length > 0)
        {
            int step = Math.Min(length, offset);
            output.Slice(source, step).CopyTo(output[written..]);
            written += step;
            length -= step;
            offset += step;
        }
    }

    private static void Need(ReadOnlySpan<byte> elements, int position, int count)
    {
        if (count > elements.Length - position)
        {
            CompressionThrow.Corrupt("snappy", "element runs past the end of the block");
        }
    }
}
