using System.Runtime.InteropServices;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// Loads a codec's native library on first use and turns its absence into one clear message that names the
/// file and the Debian package to install. Only the codec that needs the library ever probes for it, so a
/// machine without libzstd still runs every gzip, snappy and lz4 path.
/// </summary>
internal sealed class NativeLibraryCheck(string libraryName, string debianPackage)
{
    private readonly Lazy<string?> _failure = new(() => Probe(libraryName, debianPackage));

    public void EnsureLoaded()
    {
        if (_failure.Value is { } message)
        {
            throw new NativeCodecUnavailableException(message);
        }
    }

    private static string? Probe(string libraryName, string debianPackage)
    {
        if (NativeLibrary.TryLoad(libraryName, typeof(NativeLibraryCheck).Assembly, null, out _))
        {
            return null;
        }

        return $"Native library {libraryName} could not be loaded; install the Debian package {debianPackage} " +
               $"(apt-get install {debianPackage}).";
    }
}
