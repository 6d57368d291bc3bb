using System.Runtime.InteropServices;

namespace KafkaSharp.Protocol.Compression;

/// <summary>The LZ4 frame API (lz4frame.h) of liblz4 1.9, the subset Kafka's framing needs.</summary>
internal static unsafe partial class Lz4Native
{
    public const string LibraryName = "liblz4.so.1";

    /// <summary>LZ4F_VERSION: the API version a decompression context is created for.</summary>
    public const uint FrameApiVersion = 100;

    public static readonly NativeLibraryCheck Check = new(LibraryName, "liblz4-1");

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_compressFrameBound(nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_compressFrame(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(LibraryName)]
    public static partial uint LZ4F_isError(nuint code);

    [LibraryImport(LibraryName)]
    public static partial nint LZ4F_getErrorName(nuint code);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_createDecompressionContext(nint* context, uint version);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_freeDecompressionContext(nint context);

    [LibraryImport(LibraryName)]
    public static partial nuint LZ4F_decompress(nint context, byte* dst, nuint* dstSize, byte* src, nuint* srcSize, void* options);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(LZ4F_getErrorName(code)) ?? "unknown error";
}

/// <summary>LZ4F_preferences_t: LZ4F_frameInfo_t followed by the compressor settings; C layout.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4Preferences
{
    public int BlockSizeId;          // 4 = max 64 KB, what Kafka's Java writer uses
    public int BlockMode;            // 1 = independent blocks; Kafka's Java reader refuses linked blocks
    public int ContentChecksumFlag;
    public int FrameType;
    public ulong ContentSize;
    public uint DictionaryId;
    public int BlockChecksumFlag;
    public int CompressionLevel;
    public uint AutoFlush;
    public uint FavorDecompressionSpeed;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
}
