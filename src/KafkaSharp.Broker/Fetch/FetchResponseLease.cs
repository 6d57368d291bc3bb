using System.Buffers;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// A fetch response whose records point into arrays rented from the pool. The connection writes it like any
/// response and then disposes it (it disposes every <see cref="IDisposable"/> response once written or dropped),
/// which returns the arrays. Choice documented: log bytes are copied once from the segment file into a pooled
/// array and from there into the pipe; writing file slices straight to the socket would need a transport-level
/// sendfile the pipe abstraction does not offer.
/// </summary>
internal sealed class FetchResponseLease : IApiMessage, IDisposable
{
    private readonly List<byte[]> _rented = [];
    private readonly List<IDisposable> _owners = [];

    public FetchResponseLease(FetchResponse response) => Response = response;

    public FetchResponse Response { get; }

    public ApiKey ApiKey => ApiKey.Fetch;

    public short LowestSupportedVersion => Response.LowestSupportedVersion;

    public short HighestSupportedVersion => Response.HighestSupportedVersion;

    /// <summary>A pooled array of at least <paramref name="length"/> bytes, returned when the lease is disposed.</summary>
    public byte[] Rent(int length)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(length);
        _rented.Add(array);
        return array;
    }

    /// <summary>Something else pooled (a down-converted copy) the records point into, released with the lease.</summary>
    public void Adopt(IDisposable owner) => _owners.Add(owner);

    public void Read(ref KafkaReader reader, short version) =>
        throw new NotSupportedException("A fetch response lease is only written.");

    public void Write(ref KafkaWriter writer, short version) => Response.Write(ref writer, version);

    public int Size(short version) => Response.Size(version);

    public void Dispose()
    {
        foreach (byte[] array in _rented)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _rented.Clear();
        foreach (IDisposable owner in _owners)
        {
            owner.Dispose();
        }

        _owners.Clear();
    }
}
