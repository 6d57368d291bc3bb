namespace KafkaSharp.ProtocolGen;

/// <summary>Finds the repository root: the nearest folder at or above a start folder that holds KafkaSharp.sln.</summary>
public static class RepositoryRoot
{
    public static string? Find(string start)
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KafkaSharp.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
