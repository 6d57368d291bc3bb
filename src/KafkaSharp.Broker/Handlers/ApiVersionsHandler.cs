using System.Text.RegularExpressions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// ApiVersions (v0–4): the registered APIs with Kafka 3.9's version ranges. v3+ clients also send their software
/// name and version (KIP-511), which must match Kafka's pattern or the answer is INVALID_REQUEST. Features (v3+) are
/// empty: this broker finalizes none, so the finalized epoch stays -1 as in a ZooKeeper-mode broker without them.
/// An unsupported ApiVersions version never reaches here; the connection answers it (see KafkaConnection).
/// </summary>
public sealed partial class ApiVersionsHandler : RequestHandler<ApiVersionsRequest>
{
    private readonly RequestHandlerRegistry _registry;

    public ApiVersionsHandler(RequestHandlerRegistry registry) => _registry = registry;

    /// <summary>One entry per registered API, in key order.</summary>
    public static List<ApiVersionsResponse.ApiVersion> DescribeApis(RequestHandlerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var apis = new List<ApiVersionsResponse.ApiVersion>(registry.Supported.Count);
        foreach (ApiMessageInfo api in registry.Supported)
        {
            apis.Add(new ApiVersionsResponse.ApiVersion
            {
                ApiKey = (short)api.ApiKey,
                MinVersion = api.LowestVersion,
                MaxVersion = api.HighestVersion,
            });
        }

        return apis;
    }

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, ApiVersionsRequest request, CancellationToken cancellationToken)
    {
        if (context.ApiVersion >= 3)
        {
            if (!SoftwarePattern().IsMatch(request.ClientSoftwareName) || !SoftwarePattern().IsMatch(request.ClientSoftwareVersion))
            {
                return new(new ApiVersionsResponse { ErrorCode = (short)ErrorCode.InvalidRequest });
            }

            context.Session.ClientSoftwareName = request.ClientSoftwareName;
            context.Session.ClientSoftwareVersion = request.ClientSoftwareVersion;
        }

        return new(new ApiVersionsResponse { ApiKeys = DescribeApis(_registry) });
    }

    // Kafka's ApiVersionsRequest.isValid: letters, digits, '-' and '.', starting and ending with a letter or digit.
    [GeneratedRegex("^[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?$")]
    private static partial Regex SoftwarePattern();
}
