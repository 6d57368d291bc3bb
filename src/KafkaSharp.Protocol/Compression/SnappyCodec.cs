using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// Snappy in the two shapes Kafka producers send. Java clients use snappy-java's stream (xerial framing);
/// librdkafka may send one raw snappy block. Reading tells them apart by the xerial magic; writing always
/// uses xerial framing, because Java consumers expect it.
/// <code>
/// xerial:  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00 | version int32 | compatible int32 |
///          ( block length int32 big-endian | raw snappy block ) ...
/// raw:     uncompressed length uvarint | snappy elements ...
/// </code>
/// </summary>
public sealed class SnappyCodec : ICompressionCodec
{
    private const int XerialHeaderSize = 16;

    // snappy-java's default block size; each block is compressed on its own.
    private const int XerialBlockSize = 32 * 1024;

    // A snappy element expands at most 64 bytes out of a 3-byte copy tag, so no honest block claims more
    // than about 22 times its own size; anything above is rejected before output space is reserved for it.
    private const int MaxExpansion = 22;

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    public CompressionType Type => CompressionType.Snappy;

    /// <summary>True when <paramref name="payload"/> starts with snappy-java's stream header.</summary>
    public static bool IsXerialFramed(ReadOnlySpan<byte> payload) =>
        payload.Length >= XerialHeaderSize && payload.StartsWith(XerialMagic);

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Span<byte> header = destination.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        destination.Advance(XerialHeaderSize);

        while (!source.IsEmpty)
        {
            ReadOnlySpan<byte> block = source[..Math.Min(source.Length, XerialBlockSize)];
            source = source[block.Length..];
            byte[] compressed = IronSnappy.Snappy.Encode(block);
            Span<byte> span = destination.GetSpan(4 + compressed.Length);
            BinaryPrimitives.WriteInt32BigEndian(span, compressed.Length);
            compressed.CopyTo(span[4..]);
            destination.Advance(4 + compressed.Length);
        }
    }

    /// <summary>Compresses as one raw snappy block, the way librdkafka may; for interop tests.</summary>
    public static void CompressRaw(ReadOnlySpan<byte> source, IBufferWriter<byte> destination) =>
        destination.Write(IronSnappy.Snappy.Encode(source));

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (!IsXerialFramed(source))
        {
            return DecompressBlock(source, destination, maxOutputBytes);
        }

        int total = 0;
        ReadOnlySpan<byte> rest = source[XerialHeaderSize..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 4)
            {
                CompressionThrow.Corrupt("snappy", "truncated xerial block length");
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(rest);
            rest = rest[4..];
            if (length < 0 || length > rest.Length)
            {
                CompressionThrow.Corrupt("snappy", $"xerial block length {length} with {rest.Length} byte(s) left");
            }

            total += DecompressBlock(rest[..length], destination, maxOutputBytes - total);
            rest = rest[length..];
        }

        return total;
    }

    private static int DecompressBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        ulong declared = ReadDeclaredLength(block, out int preamble);
        if (declared > (ulong)maxOutputBytes)
        {
            CompressionThrow.OutputTooLarge("snappy", maxOutputBytes);
        }

        if (declared > (ulong)block.Length * MaxExpansion)
        {
            CompressionThrow.Corrupt("snappy", $"block of {block.Length} byte(s) claims {declared} byte(s) of output");
        }

        int length = (int)declared;
        SnappyBlockDecoder.Decode(block[preamble..], destination.GetSpan(length)[..length]);
        destination.Advance(length);
        return length;
    }

    /// <summary>The uvarint preamble of a raw block: its uncompressed length.</summary>
    private static ulong ReadDeclaredLength(ReadOnlySpan<byte> block, out int preambleLength)
    {
        ulong value = 0;
        for (int i = 0; i < 5; i++)
        {
            if (i >= block.Length)
            {
                break;
            }

            byte b = block[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                preambleLength = i + 1;
                return value;
            }
        }

        CompressionThrow.Corrupt("snappy", "bad block length preamble");
        preambleLength = 0;
        return 0;
    }
}
