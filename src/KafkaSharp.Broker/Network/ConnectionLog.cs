using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Network;

/// <summary>The connection's log lines: one per closed-for-a-reason connection, never one per request.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} from {Peer} on {Listener}: {Reason}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string peer, string listener, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Closing connection {ConnectionId} from {Peer}: handling {ApiKey} v{ApiVersion} (correlation id {CorrelationId}) failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string connectionId, string peer, string apiKey, short apiVersion, int correlationId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Closing idle connection {ConnectionId} from {Peer}")]
    public static partial void IdleClosed(ILogger logger, string connectionId, string peer);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Peer} ended mid-frame ({Bytes} bytes unread)")]
    public static partial void TruncatedFrame(ILogger logger, string connectionId, string peer, long bytes);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Peer}: transport failed")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string connectionId, string peer);
}
