using System.Buffers;
using System.Runtime.CompilerServices;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one growing array rented from <see cref="ArrayPool{T}.Shared"/>.
/// Decompressed record data and batches under construction live here, so a batch costs a rental, not an
/// allocation. Dispose returns the array; spans handed out before that must not be used afterwards.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumGrowth));
    }

    /// <summary>Bytes committed with <see cref="Advance"/>.</summary>
    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The committed bytes, writable, for in-place fix-ups such as a CRC.</summary>
    public Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    /// <summary>Forgets the content but keeps the rented array for reuse.</summary>
    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            ThrowAdvancedTooFar();
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int sizeHint)
    {
        int wanted = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < wanted)
        {
            Grow(wanted);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int wanted)
    {
        long needed = (long)_written + wanted;
        long doubled = Math.Max((long)_buffer.Length * 2, MinimumGrowth);
        long size = Math.Min(Math.Max(needed, doubled), Array.MaxLength);
        if (size < needed)
        {
            throw new OutOfMemoryException($"A pooled buffer cannot grow to {needed} bytes.");
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    private static void ThrowAdvancedTooFar() =>
        throw new InvalidOperationException("Advanced past the end of the buffer.");
}
