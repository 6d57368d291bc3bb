using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// OffsetCommit (v0–9): partitions of unknown topics or past a topic's partition count answer
/// UNKNOWN_TOPIC_OR_PARTITION; the rest go to the coordinator, which stores them in <c>__consumer_offsets</c>
/// before answering. v1 may carry a commit timestamp, v2–v4 a retention time.
/// </summary>
/// <remarks>
/// Kafka 3.9 in ZooKeeper mode stores v0 commits in ZooKeeper; this broker stores them in <c>__consumer_offsets</c>
/// like the others, in either metadata mode (as a simple consumer's: generation -1, no member).
/// </remarks>
public sealed class OffsetCommitHandler(IClusterMetadata metadata, GroupCoordinator coordinator) : RequestHandler<OffsetCommitRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        ClusterImage image = metadata.Current;
        var results = new Dictionary<GroupTopicPartition, ErrorCode>();
        var valid = new List<OffsetCommitEntry>();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
        {
            image.TryGetTopic(topic.Name, out TopicState? state);
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition partition in topic.Partitions)
            {
                if (state is null || partition.PartitionIndex < 0 || partition.PartitionIndex >= state.Partitions.Count)
                {
                    results[new GroupTopicPartition(topic.Name, partition.PartitionIndex)] = ErrorCode.UnknownTopicOrPartition;
                    continue;
                }

                valid.Add(new OffsetCommitEntry(topic.Name, partition.PartitionIndex, partition.CommittedOffset,
                    partition.CommittedLeaderEpoch, partition.CommittedMetadata, version == 1 ? partition.CommitTimestamp : -1));
            }
        }

        if (valid.Count > 0)
        {
            int generation = version == 0 ? -1 : request.GenerationIdOrMemberEpoch;
            long retention = version is >= 2 and <= 4 ? request.RetentionTimeMs : -1;
            Dictionary<GroupTopicPartition, ErrorCode> committed = await coordinator.CommitOffsetsAsync(
                request.GroupId, request.MemberId, request.GroupInstanceId, generation, retention, valid).ConfigureAwait(false);
            foreach ((GroupTopicPartition tp, ErrorCode error) in committed)
            {
                results[tp] = error;
            }
        }

        var response = new OffsetCommitResponse();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
        {
            var topicResponse = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition partition in topic.Partitions)
            {
                topicResponse.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)results.GetValueOrDefault(new GroupTopicPartition(topic.Name, partition.PartitionIndex)),
                });
            }

            response.Topics.Add(topicResponse);
        }

        return response;
    }
}
