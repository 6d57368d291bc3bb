using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// LZ4 frames through native liblz4, shaped as Kafka's Java writer shapes them: 64 KB independent blocks,
/// no block or content checksum, no content size.
/// <code>
/// frame: magic 0x184D2204 (LE) | FLG | BD | [content size u64] | [dict id u32] | HC | blocks... | end mark 0
/// HC = (xxHash32(FLG .. last descriptor byte) >> 8) &amp; 0xFF
/// </code>
/// KIP-57: before magic 1, Kafka computed HC over the magic number as well, so magic-0 payloads carry a
/// wrong HC. Kafka ignores HC for them; liblz4 cannot be told to, so <see cref="DecompressLegacy"/> feeds it a
/// copy of the descriptor with HC recomputed.
/// </summary>
public sealed class Lz4Codec : ICompressionCodec
{
    private const uint FrameMagic = 0x184D2204;
    private const int MaxDescriptorSize = 4 + 2 + 8 + 4 + 1;
    private const int OutputChunk = 64 * 1024;

    public CompressionType Type => CompressionType.Lz4;

    public unsafe void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Lz4Native.Check.EnsureLoaded();
        Lz4Preferences preferences = KafkaPreferences();
        nuint bound = Lz4Native.LZ4F_compressFrameBound((nuint)source.Length, &preferences);
        Span<byte> output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = Lz4Native.LZ4F_compressFrame(dst, (nuint)output.Length, src, (nuint)source.Length, &preferences);
        }

        if (Lz4Native.LZ4F_isError(written) != 0)
        {
            throw new InvalidOperationException($"LZ4 compression failed: {Lz4Native.ErrorName(written)}.");
        }

        destination.Advance((int)written);
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes) =>
        DecompressCore(source, destination, maxOutputBytes, repairDescriptorChecksum: false);

    /// <summary>
    /// Decompresses the value of a legacy wrapper message. For magic 0 the descriptor checksum is ignored
    /// (KIP-57), as Kafka does.
    /// </summary>
    public int DecompressLegacy(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes, byte magic) =>
        DecompressCore(source, destination, maxOutputBytes, repairDescriptorChecksum: magic == 0);

    /// <summary>Rewrites HC the broken pre-KIP-57 way (hash includes the magic number); for building test vectors.</summary>
    public static void BreakDescriptorChecksum(Span<byte> frame)
    {
        int length = DescriptorLength(frame);
        frame[length - 1] = (byte)(XxHash32.Hash(frame[..(length - 1)]) >> 8);
    }

    private static Lz4Preferences KafkaPreferences() => new()
    {
        BlockSizeId = 4,
        BlockMode = 1,
    };

    private static unsafe int DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes, bool repairDescriptorChecksum)
    {
        Lz4Native.Check.EnsureLoaded();
        nint context;
        nuint status = Lz4Native.LZ4F_createDecompressionContext(&context, Lz4Native.FrameApiVersion);
        if (Lz4Native.LZ4F_isError(status) != 0)
        {
            throw new InvalidOperationException($"LZ4 context creation failed: {Lz4Native.ErrorName(status)}.");
        }

        try
        {
            long total = 0;
            if (repairDescriptorChecksum)
            {
                int length = DescriptorLength(source);
                Span<byte> descriptor = stackalloc byte[MaxDescriptorSize];
                source[..length].CopyTo(descriptor);
                descriptor[length - 1] = (byte)(XxHash32.Hash(descriptor[4..(length - 1)]) >> 8);
                Feed(context, descriptor[..length], destination, maxOutputBytes, ref total);
                source = source[length..];
            }

            nuint hint = Feed(context, source, destination, maxOutputBytes, ref total);
            if (hint != 0)
            {
                CompressionThrow.Corrupt("lz4", "the frame ends early");
            }

            return (int)total;
        }
        finally
        {
            Lz4Native.LZ4F_freeDecompressionContext(context);
        }
    }

    /// <summary>Feeds all of <paramref name="input"/> and drains the output; returns liblz4's next-input hint (0 at frame end).</summary>
    private static unsafe nuint Feed(nint context, ReadOnlySpan<byte> input, IBufferWriter<byte> destination, int maxOutputBytes, ref long total)
    {
        nuint hint = 1;
        while (true)
        {
            // One byte past the cap is allowed so that reaching it exactly is told apart from exceeding it.
            Span<byte> output = destination.GetSpan(OutputChunk);
            long allowance = maxOutputBytes - total + 1;
            if (output.Length > allowance)
            {
                output = output[..(int)allowance];
            }

            nuint outSize = (nuint)output.Length;
            nuint inSize = (nuint)input.Length;
            fixed (byte* dst = output)
            fixed (byte* src = input)
            {
                hint = Lz4Native.LZ4F_decompress(context, dst, &outSize, src, &inSize, null);
            }

            if (Lz4Native.LZ4F_isError(hint) != 0)
            {
                CompressionThrow.Corrupt("lz4", Lz4Native.ErrorName(hint));
            }

            input = input[(int)inSize..];
            total += (long)outSize;
            if (total > maxOutputBytes)
            {
                CompressionThrow.OutputTooLarge("lz4", maxOutputBytes);
            }

            destination.Advance((int)outSize);
            if (input.IsEmpty && (int)outSize < output.Length)
            {
                return hint;
            }

            if (inSize == 0 && outSize == 0)
            {
                CompressionThrow.Corrupt("lz4", "the decoder made no progress");
            }
        }
    }

    /// <summary>Bytes from the magic number through HC, checked against what is there.</summary>
    private static int DescriptorLength(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != FrameMagic)
        {
            CompressionThrow.Corrupt("lz4", "no frame header");
        }

        byte flags = frame[4];
        int length = 4 + 2 + 1;
        if ((flags & 0x08) != 0)
        {
            length += 8;
        }

        if ((flags & 0x01) != 0)
        {
            length += 4;
        }

        if (frame.Length < length)
        {
            CompressionThrow.Corrupt("lz4", "truncated frame descriptor");
        }

        return length;
    }
}
