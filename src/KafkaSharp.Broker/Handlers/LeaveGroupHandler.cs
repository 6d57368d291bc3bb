using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// LeaveGroup (v0–5): one member before v3, a batch of members (by id, or by instance id for KIP-345 admin
/// removal) from v3. Before v3 the member's error is the top-level error, as Kafka's LeaveGroupResponse does.
/// </summary>
public sealed class LeaveGroupHandler(GroupCoordinator coordinator) : RequestHandler<LeaveGroupRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        List<(string MemberId, string? GroupInstanceId)> leaving = version >= 3
            ? [.. request.Members.Select(m => (m.MemberId, m.GroupInstanceId))]
            : [(request.MemberId, (string?)null)];

        (ErrorCode error, List<LeaveResult> members) = await coordinator.LeaveGroupAsync(request.GroupId, leaving).ConfigureAwait(false);
        var response = new LeaveGroupResponse { ErrorCode = (short)error };
        if (version >= 3)
        {
            foreach (LeaveResult member in members)
            {
                response.Members.Add(new LeaveGroupResponse.MemberResponse
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = member.GroupInstanceId,
                    ErrorCode = (short)member.Error,
                });
            }
        }
        else if (error == ErrorCode.None && members.FirstOrDefault(m => m.Error != ErrorCode.None) is { } failed)
        {
            response.ErrorCode = (short)failed.Error;
        }

        return response;
    }
}
