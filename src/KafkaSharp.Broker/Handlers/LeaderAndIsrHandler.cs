using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// LeaderAndIsr (v0–7) from the controller: which partitions this broker hosts and whether it leads them. Applied to
/// the controller-fed metadata (see <see cref="ControllerFedMetadataCache.ApplyLeaderAndIsr"/>); the partition manager
/// then creates the logs and the replica manager serves or refuses produce and fetch accordingly.
/// </summary>
public sealed class LeaderAndIsrHandler : RequestHandler<LeaderAndIsrRequest>
{
    private readonly ControllerFedMetadataCache? _cache;
    private readonly Func<TopicPartition, bool> _isOffline;

    /// <param name="cache">Null for a broker without ZooKeeper: it is its own controller and refuses any other.</param>
    /// <param name="logs">Where a partition's log is found, to answer KAFKA_STORAGE_ERROR for one in an offline log dir.</param>
    public LeaderAndIsrHandler(ControllerFedMetadataCache? cache, LogManager logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        _cache = cache;
        _isOffline = tp => logs.GetLog(tp) is { IsOffline: true };
    }

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, LeaderAndIsrRequest request, CancellationToken cancellationToken)
    {
        LeaderAndIsrResponse response = _cache is null
            ? NoController.LeaderAndIsr(request, context.ApiVersion)
            : _cache.ApplyLeaderAndIsr(request, context.ApiVersion, _isOffline);
        return ValueTask.FromResult<IApiMessage?>(response);
    }
}
