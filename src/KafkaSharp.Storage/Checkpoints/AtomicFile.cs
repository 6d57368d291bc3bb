using System.Text;

namespace KafkaSharp.Storage.Checkpoints;

/// <summary>
/// Replaces a small file atomically, as Kafka writes checkpoints: write <c>path.tmp</c>, fsync it, rename over the
/// target. A crash leaves either the old or the new content, never a mix.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        string temp = path + ".tmp";
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        // .NET cannot fsync a directory; the rename itself is atomic, which is what readers rely on.
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The file's lines, or null if it does not exist.</summary>
    public static string[]? ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : null;
}
