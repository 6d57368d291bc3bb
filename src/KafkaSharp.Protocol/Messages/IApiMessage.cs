namespace KafkaSharp.Protocol.Messages;

/// <summary>The body of a request or response of one Kafka API.</summary>
public interface IApiMessage : IKafkaMessage
{
    ApiKey ApiKey { get; }
}
