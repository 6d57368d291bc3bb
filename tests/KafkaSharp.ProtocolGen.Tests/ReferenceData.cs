namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>
/// Finds Kafka's published protocol definitions: ../shared/kafka-protocol next to the repository root (CI has it,
/// a user's clone does not), or the folder named by KAFKASHARP_REFERENCE_DIR.
/// </summary>
internal static class ReferenceData
{
    public static string? Folder
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("KAFKASHARP_REFERENCE_DIR");
            if (!string.IsNullOrEmpty(configured))
            {
                return Directory.Exists(configured) ? configured : null;
            }

            string? root = KafkaSharp.ProtocolGen.RepositoryRoot.Find(AppContext.BaseDirectory);
            string? folder = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "kafka-protocol"));
            return folder is not null && Directory.Exists(folder) ? folder : null;
        }
    }
}
