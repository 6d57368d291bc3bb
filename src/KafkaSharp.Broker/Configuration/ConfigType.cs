namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// The type of a config value. The numbers are the ConfigType ids DescribeConfigs v3+ puts on the wire (KIP-569).
/// </summary>
public enum ConfigType : byte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}
