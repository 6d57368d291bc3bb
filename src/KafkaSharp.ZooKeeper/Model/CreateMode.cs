namespace KafkaSharp.ZooKeeper;

/// <summary>
/// How a node is created. The values are the <c>flags</c> field of a CreateRequest: bit 0 ephemeral (deleted when
/// the creating session ends), bit 1 sequential (the server appends a 10-digit, zero-padded counter to the name).
/// </summary>
public enum CreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
}

internal static class CreateModeExtensions
{
    public static bool IsSequential(this CreateMode mode) => ((int)mode & 2) != 0;

    public static bool IsEphemeral(this CreateMode mode) => ((int)mode & 1) != 0;
}
