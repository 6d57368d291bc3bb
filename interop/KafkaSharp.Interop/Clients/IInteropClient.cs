using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Clients;

/// <summary>
/// One real Kafka client, driven by steps named as in interop/README.md ("produce", "consume", "metadata", ...):
/// a JSON object in, a JSON object out, bytes as lowercase hex. A client that cannot do a step throws
/// <see cref="StepUnsupportedException"/> saying why; a step the broker (or client) rejects throws
/// <see cref="StepFailedException"/> with Kafka's error code when the client exposes it.
/// </summary>
public interface IInteropClient
{
    string Name { get; }

    Task<JsonObject> StepAsync(string step, JsonObject arguments, CancellationToken cancellation);

    /// <summary>Starts a consumer-group member (subscribe, commit synchronously after each record) that reports events.</summary>
    Task<IGroupMember> JoinGroupAsync(JsonObject arguments, CancellationToken cancellation);
}

/// <summary>A running group member: events are {"event": "assigned"|"revoked"|"record"|"closed", ...}.</summary>
public interface IGroupMember : IAsyncDisposable
{
    IAsyncEnumerable<JsonObject> ReadEventsAsync(CancellationToken cancellation);

    /// <summary>Asks the member to close (LeaveGroup); it reports "closed" when done.</summary>
    Task LeaveAsync();
}

public sealed class StepUnsupportedException(string reason) : Exception(reason);

public sealed class StepFailedException(string message, int? errorCode) : Exception(message)
{
    public int? ErrorCode { get; } = errorCode;
}
