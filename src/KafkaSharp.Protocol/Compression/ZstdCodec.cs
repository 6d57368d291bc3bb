using System.Buffers;
using System.Numerics;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// Zstandard (KIP-110) through native libzstd. Decompression streams, so frames written without a content
/// size (Java's zstd-jni stream does that) decode, and a frame's declared size never sizes a buffer: output
/// grows chunk by chunk up to the caller's cap.
/// </summary>
public sealed class ZstdCodec : ICompressionCodec
{
    /// <summary>Level 3, zstd's and Kafka's default.</summary>
    public const int DefaultLevel = 3;

    private const int OutputChunk = 64 * 1024;

    // The decoder allocates the window a frame asks for. 2^23 covers every level up to 19 even when the size
    // was unknown to the compressor; larger windows are accepted only when the output cap could need them.
    private const int MinWindowLog = 23;
    private const int MaxWindowLog = 27;

    public CompressionType Type => CompressionType.Zstd;

    public unsafe void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        ZstdNative.Check.EnsureLoaded();
        nuint bound = ZstdNative.ZSTD_compressBound((nuint)source.Length);
        Span<byte> output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = ZstdNative.ZSTD_compress(dst, (nuint)output.Length, src, (nuint)source.Length, DefaultLevel);
        }

        if (ZstdNative.ZSTD_isError(written) != 0)
        {
            throw new InvalidOperationException($"zstd compression failed: {ZstdNative.ErrorName(written)}.");
        }

        destination.Advance((int)written);
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        ZstdNative.Check.EnsureLoaded();
        nint context = ZstdNative.ZSTD_createDCtx();
        if (context == 0)
        {
            throw new InvalidOperationException("zstd could not create a decompression context.");
        }

        try
        {
            int windowLog = Math.Clamp(BitOperations.Log2((uint)Math.Max(maxOutputBytes, 1) - 1) + 1, MinWindowLog, MaxWindowLog);
            ZstdNative.ZSTD_DCtx_setParameter(context, ZstdNative.WindowLogMaxParameter, windowLog);
            if (source.IsEmpty)
            {
                CompressionThrow.Corrupt("zstd", "empty payload");
            }

            long total = 0;
            fixed (byte* src = source)
            {
                var input = new ZstdInBuffer { Source = src, Size = (nuint)source.Length, Position = 0 };
                while (true)
                {
                    // One byte past the cap is allowed so that reaching it exactly is told apart from exceeding it.
                    Span<byte> output = destination.GetSpan(OutputChunk);
                    long allowance = maxOutputBytes - total + 1;
                    if (output.Length > allowance)
                    {
                        output = output[..(int)allowance];
                    }

                    nuint consumedBefore = input.Position;
                    nuint hint;
                    ZstdOutBuffer outBuffer;
                    fixed (byte* dst = output)
                    {
                        outBuffer = new ZstdOutBuffer { Destination = dst, Size = (nuint)output.Length, Position = 0 };
                        hint = ZstdNative.ZSTD_decompressStream(context, &outBuffer, &input);
                    }

                    if (ZstdNative.ZSTD_isError(hint) != 0)
                    {
                        CompressionThrow.Corrupt("zstd", ZstdNative.ErrorName(hint));
                    }

                    total += (long)outBuffer.Position;
                    if (total > maxOutputBytes)
                    {
                        CompressionThrow.OutputTooLarge("zstd", maxOutputBytes);
                    }

                    destination.Advance((int)outBuffer.Position);
                    bool inputDone = input.Position == input.Size;
                    bool outputHadRoom = outBuffer.Position < outBuffer.Size;
                    if (inputDone && outputHadRoom)
                    {
                        // 0 means the last frame ended exactly here; anything else means it was cut short.
                        if (hint != 0)
                        {
                            CompressionThrow.Corrupt("zstd", "the frame ends early");
                        }

                        return (int)total;
                    }

                    if (input.Position == consumedBefore && outBuffer.Position == 0)
                    {
                        CompressionThrow.Corrupt("zstd", "the decoder made no progress");
                    }
                }
            }
        }
        finally
        {
            ZstdNative.ZSTD_freeDCtx(context);
        }
    }
}
