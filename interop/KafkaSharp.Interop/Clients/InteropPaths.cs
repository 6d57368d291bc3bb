namespace KafkaSharp.Interop.Clients;

/// <summary>Where interop/ is: found by walking up from the binaries to the folder that holds KafkaSharp.sln.</summary>
public static class InteropPaths
{
    public static string Root { get; } = FindRoot();

    public static string Drivers => Path.Combine(Root, "drivers");

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "KafkaSharp.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new InvalidOperationException("KafkaSharp.sln not found above the binaries."), "interop");
    }
}
