using System.Buffers;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// A response parsed over a pooled copy of its frame: its <c>records</c> fields are slices of that copy, so they are
/// valid until <see cref="Dispose"/>, which returns the buffer. For responses that carry data (Fetch).
/// </summary>
public sealed class InterBrokerResponse<TResponse> : IDisposable
    where TResponse : class, IApiMessage
{
    private byte[]? _buffer;

    internal InterBrokerResponse(TResponse message, short version, byte[] buffer)
    {
        Message = message;
        Version = version;
        _buffer = buffer;
    }

    public TResponse Message { get; }

    /// <summary>The version the request was sent (and the response parsed) at.</summary>
    public short Version { get; }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
