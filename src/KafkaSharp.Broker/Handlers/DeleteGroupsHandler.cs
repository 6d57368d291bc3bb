using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>DeleteGroups (v0–2): Empty groups and their offsets go; NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND otherwise.</summary>
public sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : RequestHandler<DeleteGroupsRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        List<string> groups = [.. request.GroupsNames.Distinct(StringComparer.Ordinal)];
        Dictionary<string, ErrorCode> results = await coordinator.DeleteGroupsAsync(groups).ConfigureAwait(false);
        var response = new DeleteGroupsResponse();
        foreach (string group in groups)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = group, ErrorCode = (short)results[group] });
        }

        return response;
    }
}
