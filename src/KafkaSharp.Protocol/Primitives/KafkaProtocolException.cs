using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Protocol;

/// <summary>
/// Bytes that do not form a valid Kafka message: a truncated frame, a negative or oversized length or count,
/// a bad CRC, an unsupported version. Every decoding failure surfaces as this one type so the network layer
/// can close the offending connection without guessing what else may have gone wrong.
/// </summary>
public class KafkaProtocolException : Exception
{
    public KafkaProtocolException(string message) : base(message) { }

    public KafkaProtocolException(string message, Exception inner) : base(message, inner) { }

    public KafkaProtocolException() { }
}

/// <summary>A message, field or API version that this side does not support.</summary>
public sealed class UnsupportedVersionException : KafkaProtocolException
{
    public UnsupportedVersionException(string message) : base(message) { }

    public UnsupportedVersionException() { }

    public UnsupportedVersionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Throw helpers kept out of line so the hot read and write paths stay small.</summary>
public static class ProtocolThrow
{
    [DoesNotReturn]
    public static void Truncated(long needed, long remaining) =>
        throw new KafkaProtocolException($"Truncated input: needed {needed} more byte(s), {remaining} remain.");

    [DoesNotReturn]
    public static void BadLength(string what, long length, long remaining) =>
        throw new KafkaProtocolException($"Invalid {what} length {length} with {remaining} byte(s) remaining.");

    [DoesNotReturn]
    public static void Malformed(string message) => throw new KafkaProtocolException(message);

    [DoesNotReturn]
    public static void UnsupportedVersion(string message) => throw new UnsupportedVersionException(message);
}
