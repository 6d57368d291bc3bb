namespace KafkaSharp.Broker.Configuration;

/// <summary>Kafka's security protocols, with Kafka's ids.</summary>
public enum SecurityProtocol : short
{
    Plaintext = 0,
    Ssl = 1,
    SaslPlaintext = 2,
    SaslSsl = 3,
}
