using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Protocol.Compression;

/// <summary>Out-of-line throw helpers shared by the codecs.</summary>
internal static class CompressionThrow
{
    [DoesNotReturn]
    public static void OutputTooLarge(string codec, long cap) =>
        throw new KafkaProtocolException($"{codec} payload decompresses to more than the {cap}-byte cap.");

    [DoesNotReturn]
    public static void Corrupt(string codec, string detail) =>
        throw new KafkaProtocolException($"Corrupt {codec} payload: {detail}.");

    [DoesNotReturn]
    public static void Corrupt(string codec, Exception inner) =>
        throw new KafkaProtocolException($"Corrupt {codec} payload: {inner.Message}", inner);
}
