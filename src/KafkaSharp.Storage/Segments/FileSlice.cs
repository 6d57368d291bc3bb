using Microsoft.Win32.SafeHandles;

namespace KafkaSharp.Storage.Segments;

/// <summary>
/// Bytes of a segment file to send as they are: whole record batches from <see cref="Position"/>. The handle stays
/// valid for at least file.delete.delay.ms after the segment is deleted or replaced, so a reader can finish.
/// </summary>
public readonly record struct FileSlice(SafeFileHandle File, long Position, int Length)
{
    public static FileSlice Empty { get; } = new(null!, 0, 0);

    public bool IsEmpty => Length == 0;

    /// <summary>Copies the slice into <paramref name="destination"/> (at least <see cref="Length"/> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (Length == 0)
        {
            return;
        }

        destination = destination[..Length];
        long position = Position;
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(File, destination, position);
            if (read == 0)
            {
                throw new IOException($"Segment file ended {destination.Length} byte(s) before the slice did.");
            }

            destination = destination[read..];
            position += read;
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }
}
