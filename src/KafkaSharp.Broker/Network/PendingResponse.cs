using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Network;

/// <summary>
/// A request the reader has dispatched, queued in arrival order for the writer. <see cref="Work"/> is awaited
/// exactly once, by the writer; <see cref="Frame"/> (a copy of a frame whose records the request points into)
/// is freed only after that.
/// </summary>
internal readonly record struct PendingResponse(
    ApiKey ApiKey,
    short ApiVersion,
    int CorrelationId,
    ValueTask<IApiMessage?> Work,
    PooledFrame? Frame);
