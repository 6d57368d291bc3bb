using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DescribeCluster (v0–1, KIP-700): cluster id, controller id and the live brokers on the client's listener (brokers
/// without it are left out, as in Metadata), with racks. v1's endpoint_type must be BROKER (1): a broker is not a
/// KRaft controller endpoint, so anything else is UNSUPPORTED_ENDPOINT_TYPE, as Kafka answers.
/// </summary>
public sealed class DescribeClusterHandler : RequestHandler<DescribeClusterRequest>
{
    private const sbyte BrokerEndpointType = 1;

    private readonly IClusterMetadata _metadata;

    public DescribeClusterHandler(IClusterMetadata metadata) => _metadata = metadata;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeClusterResponse { EndpointType = BrokerEndpointType };
        if (context.ApiVersion >= 1 && request.EndpointType != BrokerEndpointType)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = $"The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type {EndpointTypeName(request.EndpointType)}";
            return ValueTask.FromResult<IApiMessage?>(response);
        }

        ClusterImage image = _metadata.Current;
        response.ClusterId = image.ClusterId;
        response.ControllerId = image.ControllerId;
        foreach (BrokerNode broker in image.Brokers.OrderBy(b => b.Id))
        {
            if (broker.EndpointFor(context.Connection.ListenerName) is { } endpoint)
            {
                response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker
                {
                    BrokerId = broker.Id,
                    Host = endpoint.Host,
                    Port = endpoint.Port,
                    Rack = broker.Rack,
                });
            }
        }

        response.ClusterAuthorizedOperations = request.IncludeClusterAuthorizedOperations
            ? AclOperations.AllClusterOperations
            : AclOperations.NotRequested;
        return ValueTask.FromResult<IApiMessage?>(response);
    }

    private static string EndpointTypeName(sbyte type) => type switch
    {
        1 => "BROKER",
        2 => "CONTROLLER",
        _ => "UNKNOWN",
    };
}
