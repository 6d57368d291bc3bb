namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// One link of a config's precedence chain as DescribeConfigs reports it: a name that was set (or has a default) at
/// some level. <see cref="Value"/> is null for sensitive configs.
/// </summary>
public sealed record ConfigSynonym(string Name, string? Value, ConfigSource Source);
