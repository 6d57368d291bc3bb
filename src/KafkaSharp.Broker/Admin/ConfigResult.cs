using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Admin;

/// <summary>The outcome for one resource: an error code (NONE on success), Kafka's message, and for describes the entries.</summary>
public sealed record ConfigResult(ErrorCode Error, string? Message, IReadOnlyList<ConfigEntry> Entries)
{
    public static ConfigResult Ok(IReadOnlyList<ConfigEntry> entries) => new(ErrorCode.None, null, entries);

    public static ConfigResult Ok() => new(ErrorCode.None, null, []);

    public static ConfigResult Failed(ErrorCode error, string? message) => new(error, message, []);
}
