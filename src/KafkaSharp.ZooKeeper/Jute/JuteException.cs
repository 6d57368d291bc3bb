using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.ZooKeeper.Jute;

/// <summary>A frame from the server did not decode as the jute record expected; the connection is unusable.</summary>
public sealed class JuteException : Exception
{
    public JuteException()
    {
    }

    public JuteException(string message)
        : base(message)
    {
    }

    public JuteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [DoesNotReturn]
    internal static void ThrowTruncated(long needed, long remaining) =>
        throw new JuteException($"Truncated jute record: needed {needed} more bytes, {remaining} remain.");
}
