namespace KafkaSharp.Broker.Configuration;

/// <summary>One operation of an IncrementalAlterConfigs request; <see cref="Value"/> is unused by DELETE.</summary>
public sealed record IncrementalConfigChange(string Name, AlterConfigOpType Operation, string? Value);
