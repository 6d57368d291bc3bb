using System.Runtime.InteropServices;

namespace KafkaSharp.Protocol.Compression;

/// <summary>The parts of zstd.h (libzstd 1.5) used here: one-shot compression and streaming decompression.</summary>
internal static unsafe partial class ZstdNative
{
    public const string LibraryName = "libzstd.so.1";

    /// <summary>ZSTD_d_windowLogMax: the largest window a decompression context agrees to allocate.</summary>
    public const int WindowLogMaxParameter = 100;

    public static readonly NativeLibraryCheck Check = new(LibraryName, "libzstd1");

    [LibraryImport(LibraryName)]
    public static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(LibraryName)]
    public static partial nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);

    [LibraryImport(LibraryName)]
    public static partial uint ZSTD_isError(nuint code);

    [LibraryImport(LibraryName)]
    public static partial nint ZSTD_getErrorName(nuint code);

    [LibraryImport(LibraryName)]
    public static partial nint ZSTD_createDCtx();

    [LibraryImport(LibraryName)]
    public static partial nuint ZSTD_freeDCtx(nint context);

    [LibraryImport(LibraryName)]
    public static partial nuint ZSTD_DCtx_setParameter(nint context, int parameter, int value);

    [LibraryImport(LibraryName)]
    public static partial nuint ZSTD_decompressStream(nint context, ZstdOutBuffer* output, ZstdInBuffer* input);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(ZSTD_getErrorName(code)) ?? "unknown error";
}

/// <summary>ZSTD_inBuffer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Source;
    public nuint Size;
    public nuint Position;
}

/// <summary>ZSTD_outBuffer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Destination;
    public nuint Size;
    public nuint Position;
}
