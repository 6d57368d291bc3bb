using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// OffsetDelete (v0, KIP-496): deletes a group's committed offsets for partitions it does not consume;
/// UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist, GROUP_SUBSCRIBED_TO_TOPIC for ones a live consumer
/// group subscribes to.
/// </summary>
public sealed class OffsetDeleteHandler(IClusterMetadata metadata, GroupCoordinator coordinator) : RequestHandler<OffsetDeleteRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        ClusterImage image = metadata.Current;
        var results = new Dictionary<GroupTopicPartition, ErrorCode>();
        var valid = new List<GroupTopicPartition>();
        foreach (OffsetDeleteRequest.OffsetDeleteRequestTopic topic in request.Topics)
        {
            image.TryGetTopic(topic.Name, out TopicState? state);
            foreach (OffsetDeleteRequest.OffsetDeleteRequestPartition partition in topic.Partitions)
            {
                var tp = new GroupTopicPartition(topic.Name, partition.PartitionIndex);
                if (state is null || partition.PartitionIndex < 0 || partition.PartitionIndex >= state.Partitions.Count)
                {
                    results[tp] = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    valid.Add(tp);
                }
            }
        }

        (ErrorCode error, Dictionary<GroupTopicPartition, ErrorCode> deleted) = await coordinator.DeleteOffsetsAsync(request.GroupId, valid).ConfigureAwait(false);
        var response = new OffsetDeleteResponse { ErrorCode = (short)error };
        if (error != ErrorCode.None)
        {
            return response;
        }

        foreach ((GroupTopicPartition tp, ErrorCode partitionError) in deleted)
        {
            results[tp] = partitionError;
        }

        foreach (OffsetDeleteRequest.OffsetDeleteRequestTopic topic in request.Topics)
        {
            var topicResponse = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
            foreach (OffsetDeleteRequest.OffsetDeleteRequestPartition partition in topic.Partitions)
            {
                topicResponse.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition
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
