using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>A request on its way: what was sent, and the completion its sender awaits.</summary>
internal sealed class PendingRequest
{
    private volatile bool _abandoned;

    public PendingRequest(IApiMessage request, short version, bool pooled, int correlationId)
    {
        Request = request;
        Version = version;
        Pooled = pooled;
        CorrelationId = correlationId;
    }

    public IApiMessage Request { get; }

    public ApiKey ApiKey => Request.ApiKey;

    public short Version { get; }

    public bool Pooled { get; }

    public int CorrelationId { get; }

    /// <summary>Completed off the reader loop (continuations run asynchronously so a slow caller cannot stall it).</summary>
    public TaskCompletionSource<(IApiMessage, byte[]?)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The sender gave up (cancelled or timed out); a late response is dropped.</summary>
    public bool IsAbandoned => _abandoned;

    public void Abandon() => _abandoned = true;

    public bool TrySucceed(IApiMessage response, byte[]? buffer) => !_abandoned && Completion.TrySetResult((response, buffer));

    public bool TryFail(Exception reason) => Completion.TrySetException(reason);
}
