using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>The codec for each <see cref="CompressionType"/>; native libraries load only when a codec is used.</summary>
public static class CompressionCodecs
{
    /// <summary>Default cap on one payload's decompressed size: far above Kafka's default max.message.bytes.</summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    public static ICompressionCodec Gzip { get; } = new GzipCodec();

    public static ICompressionCodec Snappy { get; } = new SnappyCodec();

    public static ICompressionCodec Lz4 { get; } = new Lz4Codec();

    public static ICompressionCodec Zstd { get; } = new ZstdCodec();

    /// <summary>The codec for a compressed type; <see cref="CompressionType.None"/> and unknown values throw.</summary>
    public static ICompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.Gzip => Gzip,
        CompressionType.Snappy => Snappy,
        CompressionType.Lz4 => Lz4,
        CompressionType.Zstd => Zstd,
        _ => ThrowUnknown(type),
    };

    private static ICompressionCodec ThrowUnknown(CompressionType type)
    {
        ProtocolThrow.Malformed($"Compression type {(int)type} is not a codec.");
        return null!;
    }
}
