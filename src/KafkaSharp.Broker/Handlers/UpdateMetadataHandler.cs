using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// UpdateMetadata (v0–8) from the controller: live brokers, controller id and partition states for every broker's
/// Metadata answers (see <see cref="ControllerFedMetadataCache.ApplyUpdateMetadata"/>).
/// </summary>
public sealed class UpdateMetadataHandler : RequestHandler<UpdateMetadataRequest>
{
    private readonly ControllerFedMetadataCache? _cache;

    /// <param name="cache">Null for a broker without ZooKeeper: it is its own controller and refuses any other.</param>
    public UpdateMetadataHandler(ControllerFedMetadataCache? cache) => _cache = cache;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, UpdateMetadataRequest request, CancellationToken cancellationToken)
    {
        UpdateMetadataResponse response = _cache is null
            ? new UpdateMetadataResponse { ErrorCode = (short)ErrorCode.StaleControllerEpoch }
            : _cache.ApplyUpdateMetadata(request, context.ApiVersion);
        return ValueTask.FromResult<IApiMessage?>(response);
    }
}
