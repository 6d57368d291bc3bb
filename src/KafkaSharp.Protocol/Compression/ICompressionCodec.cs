using System.Buffers;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// One of Kafka's record compression codecs. Both directions work on whole payloads (a batch's records or a
/// legacy wrapper's value); decompression always takes a cap, because the wire's own size claims are untrusted.
/// </summary>
public interface ICompressionCodec
{
    CompressionType Type { get; }

    /// <summary>Compresses <paramref name="source"/> in the framing Kafka's Java clients read.</summary>
    void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="destination"/> and returns the bytes written.
    /// Throws <see cref="KafkaProtocolException"/> for corrupt input or when the output would exceed
    /// <paramref name="maxOutputBytes"/>.
    /// </summary>
    int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes);
}
