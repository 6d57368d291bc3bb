namespace KafkaSharp.Broker.Configuration;

/// <summary>IncrementalAlterConfigs operations, with the ids the request carries.</summary>
public enum AlterConfigOpType : byte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}
