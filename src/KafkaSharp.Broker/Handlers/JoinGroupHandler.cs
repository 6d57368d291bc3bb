using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// JoinGroup (v0–9). v0 has no rebalance timeout (the session timeout serves); v4+ new members first get an id
/// (MEMBER_ID_REQUIRED); v9+ may tell a restarted static leader to skip the assignment. The response waits for the
/// join phase to end.
/// </summary>
public sealed class JoinGroupHandler(GroupCoordinator coordinator) : RequestHandler<JoinGroupRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        var protocols = new List<(string Name, byte[] Metadata)>(request.Protocols.Count);
        foreach (JoinGroupRequest.JoinGroupRequestProtocol protocol in request.Protocols)
        {
            protocols.Add((protocol.Name, protocol.Metadata));
        }

        JoinResult result = await coordinator.JoinGroupAsync(new JoinRequest(
            request.GroupId,
            request.MemberId,
            request.GroupInstanceId,
            RequireKnownMemberId: version >= 4,
            SupportSkippingAssignment: version >= 9,
            context.ClientId ?? "",
            GroupHandlerSupport.ClientHost(context),
            version == 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs,
            request.SessionTimeoutMs,
            request.ProtocolType,
            protocols,
            request.Reason)).ConfigureAwait(false);

        var response = new JoinGroupResponse
        {
            ErrorCode = (short)result.Error,
            GenerationId = result.GenerationId,
            ProtocolType = version >= 7 ? result.ProtocolType : null,

            // Before v7 the protocol name is not nullable.
            ProtocolName = version >= 7 ? result.ProtocolName : result.ProtocolName ?? "",
            Leader = result.LeaderId,
            SkipAssignment = version >= 9 && result.SkipAssignment,
            MemberId = result.MemberId,
        };
        foreach (JoinedMember member in result.Members ?? [])
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = member.MemberId,
                GroupInstanceId = version >= 5 ? member.GroupInstanceId : null,
                Metadata = member.Metadata,
            });
        }

        return response;
    }
}
