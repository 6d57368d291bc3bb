using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>Heartbeat (v0–4): keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler(GroupCoordinator coordinator) : RequestHandler<HeartbeatRequest>
{
    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellationToken) =>
        new(new HeartbeatResponse
        {
            ErrorCode = (short)coordinator.Heartbeat(request.GroupId, request.MemberId, request.GroupInstanceId, request.GenerationId),
        });
}
