namespace KafkaSharp.Broker.Admin;

/// <summary>The config_operation ids of IncrementalAlterConfigs (KIP-339).</summary>
public enum AlterConfigOperation : sbyte
{
    /// <summary>Sets the value.</summary>
    Set = 0,

    /// <summary>Removes the setting, so the next level (broker, then default) supplies the value.</summary>
    Delete = 1,

    /// <summary>Adds items to a list config.</summary>
    Append = 2,

    /// <summary>Removes items from a list config.</summary>
    Subtract = 3,
}

/// <summary>One change of an IncrementalAlterConfigs resource. <see cref="Value"/> is null only for DELETE.</summary>
public sealed record ConfigAlteration(string Name, AlterConfigOperation Operation, string? Value);
