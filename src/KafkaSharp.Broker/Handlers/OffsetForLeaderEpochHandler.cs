using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (v0–4): where each asked epoch ends in the leader's log, so a consumer (KIP-320) or a
/// follower (KIP-101) can detect that its log diverged and truncate. v2+ checks current_leader_epoch; v1+ also
/// answers the epoch the end offset belongs to.
/// </summary>
public sealed class OffsetForLeaderEpochHandler : RequestHandler<OffsetForLeaderEpochRequest>
{
    private readonly ReplicaManager _replicas;

    public OffsetForLeaderEpochHandler(ReplicaManager replicas) => _replicas = replicas;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        var response = new OffsetForLeaderEpochResponse();
        foreach (OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic in request.Topics)
        {
            var topicResult = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            foreach (OffsetForLeaderEpochRequest.OffsetForLeaderPartition partition in topic.Partitions)
            {
                var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = partition.Partition };
                int currentEpoch = version >= 2 ? partition.CurrentLeaderEpoch : -1;
                ErrorCode error = _replicas.TryGetLeader(topic.Topic, partition.Partition, currentEpoch, out HostedPartition? hosted);
                if (hosted is null)
                {
                    result.ErrorCode = (short)error;
                }
                else
                {
                    (int epoch, long endOffset) = hosted.Log.LeaderEpochs.EndOffsetFor(partition.LeaderEpoch, hosted.Log.LogEndOffset);
                    result.LeaderEpoch = epoch;
                    result.EndOffset = endOffset;
                }

                topicResult.Partitions.Add(result);
            }

            response.Topics.Add(topicResult);
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }
}
