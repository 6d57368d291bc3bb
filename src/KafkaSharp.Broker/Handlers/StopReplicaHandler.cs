using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// StopReplica (v0–4) from the controller: stop hosting partitions, deleting their logs when asked (topic deletion,
/// a replica moved away by reassignment). See <see cref="ControllerFedMetadataCache.ApplyStopReplica"/>; a log that
/// cannot be deleted answers KAFKA_STORAGE_ERROR for its partition, as Kafka does.
/// </summary>
public sealed class StopReplicaHandler : RequestHandler<StopReplicaRequest>
{
    private readonly ControllerFedMetadataCache? _cache;
    private readonly PartitionManager _partitions;

    /// <param name="cache">Null for a broker without ZooKeeper: it is its own controller and refuses any other.</param>
    public StopReplicaHandler(ControllerFedMetadataCache? cache, PartitionManager partitions)
    {
        _cache = cache;
        _partitions = partitions;
    }

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, StopReplicaRequest request, CancellationToken cancellationToken)
    {
        if (_cache is null)
        {
            return ValueTask.FromResult<IApiMessage?>(new StopReplicaResponse { ErrorCode = (short)ErrorCode.StaleControllerEpoch });
        }

        StopReplicaOutcome outcome = _cache.ApplyStopReplica(request, context.ApiVersion);
        foreach (TopicPartition tp in outcome.PartitionsToDelete)
        {
            ErrorCode error = _partitions.DeleteReplica(tp);
            if (error != ErrorCode.None)
            {
                StopReplicaResponse.StopReplicaPartitionError? entry = outcome.Response.PartitionErrors
                    .Find(e => e.TopicName == tp.Topic && e.PartitionIndex == tp.Partition);
                entry?.ErrorCode = (short)error;
            }
        }

        return ValueTask.FromResult<IApiMessage?>(outcome.Response);
    }
}
