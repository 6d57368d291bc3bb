using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>A request record: the body that follows a RequestHeader in a frame.</summary>
internal interface IJuteRequest
{
    void Write(JuteWriter writer);
}
