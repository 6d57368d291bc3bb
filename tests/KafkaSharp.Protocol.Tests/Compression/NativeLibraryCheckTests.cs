using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

public class NativeLibraryCheckTests
{
    [Fact]
    public void EnsureLoadedThrowsNamingLibraryAndPackageWhenLibraryIsMissing()
    {
        var check = new NativeLibraryCheck("libkafkasharp-missing.so.9", "kafkasharp-missing9");

        var error = Assert.Throws<NativeCodecUnavailableException>(check.EnsureLoaded);

        Assert.Contains("libkafkasharp-missing.so.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install kafkasharp-missing9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureLoadedSucceedsWhenLibrariesAreInstalled()
    {
        // Both are present on the build machine (Debian liblz4-1 and libzstd1); a throw fails the test.
        Lz4Native.Check.EnsureLoaded();
        ZstdNative.Check.EnsureLoaded();
        Assert.Equal("liblz4.so.1", Lz4Native.LibraryName);
    }
}
