using System.Buffers;

namespace KafkaSharp.Broker.Network;

/// <summary>
/// A request frame copied out of the pipe into a pooled array, for requests whose parsed form keeps slices of the
/// frame (<c>records</c> fields) while the handler runs asynchronously. The pipe's own memory is released as soon as
/// the frame is parsed; this copy lives until the handler's task completes.
/// </summary>
internal sealed class PooledFrame : IDisposable
{
    private byte[]? _array;

    public PooledFrame(in ReadOnlySequence<byte> source)
    {
        int length = checked((int)source.Length);
        _array = ArrayPool<byte>.Shared.Rent(length);
        source.CopyTo(_array);
        Memory = new ReadOnlyMemory<byte>(_array, 0, length);
    }

    public ReadOnlyMemory<byte> Memory { get; }

    public void Dispose()
    {
        byte[]? array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
