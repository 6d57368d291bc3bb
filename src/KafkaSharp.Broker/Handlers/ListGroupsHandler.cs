using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// ListGroups (v0–5): the groups this broker coordinates (admin clients ask every broker), with the v4 states
/// filter and the v5 types filter; every group here is a "classic" one.
/// </summary>
public sealed class ListGroupsHandler(GroupCoordinator coordinator) : RequestHandler<ListGroupsRequest>
{
    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        (ErrorCode error, List<GroupOverview> groups) = coordinator.ListGroups(
            version >= 4 ? request.StatesFilter : [], version >= 5 ? request.TypesFilter : []);
        var response = new ListGroupsResponse { ErrorCode = (short)error };
        foreach (GroupOverview group in groups)
        {
            response.Groups.Add(new ListGroupsResponse.ListedGroup
            {
                GroupId = group.GroupId,
                ProtocolType = group.ProtocolType,
                GroupState = version >= 4 ? group.State : "",
                GroupType = version >= 5 ? "classic" : "",
            });
        }

        return new(response);
    }
}
