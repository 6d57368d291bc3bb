namespace KafkaSharp.Broker.Requests;

/// <summary>Who sent a request, as Kafka names principals ("User:alice"). Until SASL lands every client is anonymous.</summary>
public sealed record KafkaPrincipal(string PrincipalType, string Name)
{
    public static KafkaPrincipal Anonymous { get; } = new("User", "ANONYMOUS");

    public override string ToString() => $"{PrincipalType}:{Name}";
}
