using Microsoft.Win32.SafeHandles;

namespace KafkaSharp.Storage.Index;

/// <summary>
/// The file behind an index: preallocated to its maximum size while the segment is active (like Kafka, so the
/// file's length never has to grow on the hot path), written at entry positions, trimmed to its entries when the
/// segment becomes inactive or is closed. Entries are also kept in memory by the owning index; this class is
/// only the persistent copy.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    private readonly int _entrySize;
    private SafeFileHandle _handle;

    private IndexFile(string path, SafeFileHandle handle, int entrySize)
    {
        FilePath = path;
        _handle = handle;
        _entrySize = entrySize;
    }

    public string FilePath { get; private set; }

    /// <summary>Opens (creating if absent) and returns the whole existing content for the owner to parse.</summary>
    public static IndexFile Open(string path, int entrySize, out byte[] existing)
    {
        SafeFileHandle handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(handle);
        existing = new byte[length - (length % entrySize)];
        int read = 0;
        while (read < existing.Length)
        {
            int n = RandomAccess.Read(handle, existing.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return new IndexFile(path, handle, entrySize);
    }

    public void Write(int entryNumber, ReadOnlySpan<byte> entry) => RandomAccess.Write(_handle, entry, (long)entryNumber * _entrySize);

    /// <summary>Sizes the file for <paramref name="maxEntries"/> so appends never extend it.</summary>
    public void Preallocate(int maxEntries)
    {
        long wanted = (long)maxEntries * _entrySize;
        if (RandomAccess.GetLength(_handle) < wanted)
        {
            RandomAccess.SetLength(_handle, wanted);
        }
    }

    /// <summary>Cuts the preallocated tail so the file holds exactly <paramref name="entries"/> entries.</summary>
    public void Trim(int entries) => RandomAccess.SetLength(_handle, (long)entries * _entrySize);

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Rename(string newPath)
    {
        File.Move(FilePath, newPath, overwrite: true);
        FilePath = newPath;
    }

    public void Delete()
    {
        _handle.Dispose();
        File.Delete(FilePath);
    }

    public void Dispose() => _handle.Dispose();
}
