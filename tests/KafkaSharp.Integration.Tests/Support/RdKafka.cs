using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// Confluent.Kafka is referenced without librdkafka.redist (the registry lacks it), so its native library is the
/// system's: Debian's librdkafka1. <c>Library.Load(path)</c> cannot be used here: it dlopens through "libdl", which
/// current glibc only ships as libdl.so.2; a DllImport resolver sends the binding's "librdkafka" to the system file.
/// </summary>
public static class RdKafka
{
    public const string SystemLibrary = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    private static readonly Lock s_gate = new();
    private static bool s_resolverSet;

    public static void EnsureLoaded()
    {
        lock (s_gate)
        {
            if (!s_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
                s_resolverSet = true;
            }
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("rdkafka", StringComparison.Ordinal) && File.Exists(SystemLibrary)
            ? NativeLibrary.Load(SystemLibrary)
            : IntPtr.Zero;
}
