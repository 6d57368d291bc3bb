using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DescribeGroups (v0–5): state, protocol and members; a Stable group's members come with their metadata and
/// assignment (what lag tools decode). An unknown group is "Dead" with no members and no error, as in Kafka.
/// </summary>
public sealed class DescribeGroupsHandler(GroupCoordinator coordinator) : RequestHandler<DescribeGroupsRequest>
{
    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        var response = new DescribeGroupsResponse();
        foreach (string groupId in request.Groups)
        {
            (ErrorCode error, GroupSummary summary) = coordinator.DescribeGroup(groupId);
            var described = new DescribeGroupsResponse.DescribedGroup
            {
                ErrorCode = (short)error,
                GroupId = groupId,
                GroupState = summary.State,
                ProtocolType = summary.ProtocolType,
                ProtocolData = summary.Protocol,
                AuthorizedOperations = version >= 3 && request.IncludeAuthorizedOperations ? AclOperations.AllGroupOperations : AclOperations.NotRequested,
            };
            foreach (MemberSummary member in summary.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = version >= 4 ? member.GroupInstanceId : null,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    MemberMetadata = member.Metadata,
                    MemberAssignment = member.Assignment,
                });
            }

            response.Groups.Add(described);
        }

        return new(response);
    }
}
