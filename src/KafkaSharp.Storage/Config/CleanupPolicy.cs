namespace KafkaSharp.Storage.Config;

/// <summary><c>cleanup.policy</c>: a list of <c>delete</c> and <c>compact</c>.</summary>
[Flags]
public enum CleanupPolicy
{
    None = 0,
    Delete = 1,
    Compact = 2,
}
