namespace KafkaSharp.Cluster.TestSupport;

/// <summary>
/// Where the built KafkaSharp.Server lives: KAFKASHARP_SERVER_DLL when set, else the server project's output for the
/// configuration this assembly was built in (the project reference builds it first).
/// </summary>
public static class ServerBinary
{
    public static string DllPath => Environment.GetEnvironmentVariable("KAFKASHARP_SERVER_DLL") ?? FindBuilt();

    private static string FindBuilt()
    {
        // .../tests/KafkaSharp.X.Tests/bin/<Configuration>/<tfm>/ → the same <Configuration>/<tfm> of the server.
        string here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string tfm = Path.GetFileName(here);
        string configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        for (DirectoryInfo? dir = new(here); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KafkaSharp.sln")))
            {
                string dll = Path.Combine(dir.FullName, "src", "KafkaSharp.Server", "bin", configuration, tfm, "KafkaSharp.Server.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"KafkaSharp.Server is not built at {dll}; build it (or set KAFKASHARP_SERVER_DLL).", dll);
            }
        }

        throw new DirectoryNotFoundException($"No KafkaSharp.sln above {here}; set KAFKASHARP_SERVER_DLL.");
    }
}
