using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// ListOffsets (v0–9), as Kafka's KafkaApis.handleListOffsetRequest and Partition.fetchOffsetForTimestamp:
/// <list type="bullet">
/// <item>-1 latest: the high watermark for consumers (read_committed: the last stable offset, equal to it until
/// transactions land), the log end offset for replica_id -2 (debug) and followers;</item>
/// <item>-2 earliest and -4 earliest-local: the log start offset;</item>
/// <item>-3 max timestamp (v7+): the record with the largest timestamp; -5 latest-tiered: -1, there is no tiered storage;</item>
/// <item>otherwise the first offset whose timestamp is ≥ the one asked; -1/-1 when none, or when it is not yet
/// fetchable (at or above the high watermark) for a consumer.</item>
/// </list>
/// v0 answers old_style_offsets: [offset] for these (the pre-0.10.1 segment-time listing is not reproduced).
/// v4+ carries the leader epoch of the answered offset and checks current_leader_epoch (KIP-320).
/// </summary>
public sealed class ListOffsetsHandler : RequestHandler<ListOffsetsRequest>
{
    private const long EarliestLocalTimestamp = -4;
    private const long LatestTieredTimestamp = -5;
    private const int ConsumerReplicaId = -1;

    private readonly ReplicaManager _replicas;

    public ListOffsetsHandler(ReplicaManager replicas) => _replicas = replicas;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        var response = new ListOffsetsResponse();
        var seen = new HashSet<(string, int)>();
        foreach (ListOffsetsRequest.ListOffsetsTopic topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            foreach (ListOffsetsRequest.ListOffsetsPartition partition in topic.Partitions)
            {
                var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
                ErrorCode error = seen.Add((topic.Name, partition.PartitionIndex))
                    ? Answer(topic.Name, partition, request, version, result)
                    : ErrorCode.InvalidRequest; // Kafka refuses a partition listed twice
                result.ErrorCode = (short)error;

                topicResponse.Partitions.Add(result);
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }

    private ErrorCode Answer(string topic, ListOffsetsRequest.ListOffsetsPartition partition, ListOffsetsRequest request, short version,
        ListOffsetsResponse.ListOffsetsPartitionResponse result)
    {
        int currentEpoch = version >= 4 ? partition.CurrentLeaderEpoch : -1;
        ErrorCode error = _replicas.TryGetLeader(topic, partition.PartitionIndex, currentEpoch, out HostedPartition? hosted);
        if (hosted is null)
        {
            return error;
        }

        PartitionLog log = hosted.Log;
        bool consumer = request.ReplicaId == ConsumerReplicaId;
        // Both isolation levels stop at the high watermark: the last stable offset equals it until transactions land.
        long fetchable = consumer ? log.HighWatermark : log.LogEndOffset;
        TimestampAndOffset? found;
        int epoch;
        try
        {
            (found, epoch) = partition.Timestamp switch
            {
                PartitionLog.LatestTimestamp => (new TimestampAndOffset(-1, fetchable), log.LeaderEpochs.LatestEpoch),
                PartitionLog.EarliestTimestamp or EarliestLocalTimestamp => Earliest(log),
                LatestTieredTimestamp => ((TimestampAndOffset?)null, -1),
                _ => Search(log, partition.Timestamp, consumer ? fetchable : long.MaxValue),
            };
        }
        catch (StorageException e)
        {
            return (ErrorCode)(short)e.ErrorCode;
        }

        long offset = found?.Offset ?? -1;
        if (version == 0)
        {
            // offset and timestamp do not exist in v0; writing them would fail the response.
            result.OldStyleOffsets = offset >= 0 ? [offset] : [];
            return ErrorCode.None;
        }

        result.Offset = offset;
        result.Timestamp = found?.Timestamp ?? -1;
        result.LeaderEpoch = version >= 4 && found is not null ? epoch : -1;
        return ErrorCode.None;
    }

    private static (TimestampAndOffset?, int) Earliest(PartitionLog log)
    {
        long start = log.LogStartOffset;
        return (new TimestampAndOffset(-1, start), log.LeaderEpochs.EpochForOffset(start));
    }

    private static (TimestampAndOffset?, int) Search(PartitionLog log, long timestamp, long fetchable)
    {
        TimestampAndOffset? found = log.FindOffsetByTimestamp(timestamp);
        if (found is not { } hit || hit.Offset >= fetchable)
        {
            return (null, -1);
        }

        return (hit, log.LeaderEpochs.EpochForOffset(hit.Offset));
    }
}
