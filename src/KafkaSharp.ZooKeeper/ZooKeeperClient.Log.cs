using Microsoft.Extensions.Logging;

namespace KafkaSharp.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    [LoggerMessage(Level = LogLevel.Information, Message = "ZooKeeper session 0x{SessionId:x} connected to {Host}, timeout {TimeoutMs} ms, {SetWatchesFrames} SetWatches frame(s).")]
    private partial void LogConnected(ZooKeeperHost host, long sessionId, int timeoutMs, int setWatchesFrames);

    [LoggerMessage(Level = LogLevel.Information, Message = "ZooKeeper connect attempt to {Host} failed: {Reason}")]
    private partial void LogConnectAttemptFailed(ZooKeeperHost host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper connection to {Host} lost: {Reason}")]
    private partial void LogDisconnected(ZooKeeperHost host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper session 0x{SessionId:x} has expired.")]
    private partial void LogSessionExpired(long sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the ZooKeeper session failed; it will end by timeout.")]
    private partial void LogCloseSessionFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The ZooKeeper session loop failed.")]
    private partial void LogSessionLoopFailed(Exception exception);
}
