using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// SyncGroup (v0–5): the leader hands in the assignment, every member gets its own. From v5 the protocol type and
/// name are mandatory (INCONSISTENT_GROUP_PROTOCOL without them, as Kafka checks before the coordinator).
/// </summary>
public sealed class SyncGroupHandler(GroupCoordinator coordinator) : RequestHandler<SyncGroupRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        if (version >= 5 && (request.ProtocolType is null || request.ProtocolName is null))
        {
            return new SyncGroupResponse { ErrorCode = (short)ErrorCode.InconsistentGroupProtocol };
        }

        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (SyncGroupRequest.SyncGroupRequestAssignment assignment in request.Assignments)
        {
            assignments[assignment.MemberId] = assignment.Assignment;
        }

        SyncResult result = await coordinator.SyncGroupAsync(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId,
            request.ProtocolType, request.ProtocolName, assignments).ConfigureAwait(false);
        return new SyncGroupResponse
        {
            ErrorCode = (short)result.Error,
            ProtocolType = version >= 5 ? result.ProtocolType : null,
            ProtocolName = version >= 5 ? result.ProtocolName : null,
            Assignment = result.Error == ErrorCode.None ? result.Assignment ?? [] : [],
        };
    }
}
