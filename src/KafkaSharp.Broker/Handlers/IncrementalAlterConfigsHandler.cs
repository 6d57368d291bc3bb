using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// IncrementalAlterConfigs (v0–1, KIP-339): SET, DELETE, APPEND and SUBTRACT on a topic's overrides, this broker's
/// dynamic configs or the cluster-wide defaults; validate_only checks without storing. Errors are per resource.
/// </summary>
public sealed class IncrementalAlterConfigsHandler : RequestHandler<IncrementalAlterConfigsRequest>
{
    private readonly ConfigAdmin _admin;

    public IncrementalAlterConfigsHandler(ConfigAdmin admin) => _admin = admin;

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new IncrementalAlterConfigsResponse();
        HashSet<(sbyte, string)> duplicates = AlterConfigsHandler.DuplicateResources(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (IncrementalAlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            ConfigResult result;
            if (duplicates.Contains((resource.ResourceType, resource.ResourceName)))
            {
                result = ConfigResult.Failed(ErrorCode.InvalidRequest, "Each resource must appear at most once.");
            }
            else if (resource.Configs.FirstOrDefault(c => c.ConfigOperation is < 0 or > 3) is { } unknown)
            {
                result = ConfigResult.Failed(ErrorCode.InvalidRequest, $"Unknown config operation {unknown.ConfigOperation} for config key: {unknown.Name}");
            }
            else
            {
                result = await _admin.IncrementalAlterAsync(
                    (ConfigResourceType)resource.ResourceType,
                    resource.ResourceName,
                    [.. resource.Configs.Select(c => new IncrementalConfigChange(c.Name, (AlterConfigOpType)c.ConfigOperation, c.Value))],
                    request.ValidateOnly,
                    cancellationToken).ConfigureAwait(false);
            }

            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }

        return response;
    }
}
