namespace KafkaSharp.Storage.Tests.Support;

/// <summary>
/// A fresh directory, deleted on dispose. Under /dev/shm when present: the suite fsyncs a lot (rolls, checkpoints,
/// clean shutdowns), and tmpfs makes that free without changing behaviour (a killed process loses nothing either way).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, "kafkasharp-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp dir does not affect other tests.
        }
    }
}
