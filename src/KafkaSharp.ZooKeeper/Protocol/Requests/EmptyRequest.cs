using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>Ping (11) and closeSession (-11) carry nothing after the RequestHeader.</summary>
internal sealed class EmptyRequest : IJuteRequest
{
    public static EmptyRequest Instance { get; } = new();

    private EmptyRequest()
    {
    }

    public void Write(JuteWriter writer)
    {
    }
}
