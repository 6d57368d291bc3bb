using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// AlterConfigs (v0–2): each resource's configs replace its whole set of dynamic configs (topic overrides, this
/// broker's, or the cluster-wide defaults); validate_only checks without storing. Errors are per resource.
/// </summary>
public sealed class AlterConfigsHandler : RequestHandler<AlterConfigsRequest>
{
    private readonly ConfigAdmin _admin;

    public AlterConfigsHandler(ConfigAdmin admin) => _admin = admin;

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterConfigsResponse();
        HashSet<(sbyte, string)> duplicates = DuplicateResources(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (AlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            ConfigResult result = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? ConfigResult.Failed(ErrorCode.InvalidRequest, "Each resource must appear at most once.")
                : await _admin.AlterAsync(
                    (ConfigResourceType)resource.ResourceType,
                    resource.ResourceName,
                    [.. resource.Configs.Select(c => KeyValuePair.Create(c.Name, c.Value))],
                    request.ValidateOnly,
                    cancellationToken).ConfigureAwait(false);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }

        return response;
    }

    /// <summary>Resources named more than once: Kafka refuses each of them rather than guess which one wins.</summary>
    internal static HashSet<(sbyte, string)> DuplicateResources(IEnumerable<(sbyte Type, string Name)> resources) =>
        [.. resources.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key)];
}
