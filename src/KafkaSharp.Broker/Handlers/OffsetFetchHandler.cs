using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// OffsetFetch (v0–9): one group before v8 (null topics from v2 means every committed partition; the group error
/// is top-level from v2, per partition before), several groups from v8. require_stable (v7+) answers
/// UNSTABLE_OFFSET_COMMIT for partitions with pending transactional offsets.
/// </summary>
/// <remarks>Kafka 3.9 in ZooKeeper mode reads v0 from ZooKeeper; this broker answers v0 from the coordinator.</remarks>
public sealed class OffsetFetchHandler(GroupCoordinator coordinator) : RequestHandler<OffsetFetchRequest>
{
    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        var response = new OffsetFetchResponse();
        if (version >= 8)
        {
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup group in request.Groups)
            {
                List<GroupTopicPartition>? wanted = group.Topics is null ? null : [.. group.Topics.SelectMany(t => t.PartitionIndexes.Select(p => new GroupTopicPartition(t.Name, p)))];
                (ErrorCode error, List<FetchedOffset> offsets) = coordinator.FetchOffsets(group.GroupId, request.RequireStable, wanted);
                var groupResponse = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)error };
                foreach (IGrouping<string, FetchedOffset> topic in offsets.GroupBy(o => o.Topic))
                {
                    var topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = topic.Key };
                    foreach (FetchedOffset offset in topic)
                    {
                        topicResponse.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = offset.Partition,
                            CommittedOffset = offset.Offset,
                            CommittedLeaderEpoch = offset.LeaderEpoch,
                            Metadata = offset.Metadata,
                            ErrorCode = (short)offset.Error,
                        });
                    }

                    groupResponse.Topics.Add(topicResponse);
                }

                response.Groups.Add(groupResponse);
            }

            return new(response);
        }

        List<GroupTopicPartition>? partitions = request.Topics is null
            ? null
            : [.. request.Topics.SelectMany(t => t.PartitionIndexes.Select(p => new GroupTopicPartition(t.Name, p)))];
        (ErrorCode groupError, List<FetchedOffset> fetched) = coordinator.FetchOffsets(request.GroupId, version >= 7 && request.RequireStable, partitions);
        if (groupError != ErrorCode.None && version < 2)
        {
            // No top-level error before v2: each requested partition carries it.
            fetched = [.. (partitions ?? []).Select(tp => new FetchedOffset(tp.Topic, tp.Partition, -1, -1, "", groupError))];
        }

        response.ErrorCode = version >= 2 ? (short)groupError : (short)0;
        foreach (IGrouping<string, FetchedOffset> topic in fetched.GroupBy(o => o.Topic))
        {
            var topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic.Key };
            foreach (FetchedOffset offset in topic)
            {
                topicResponse.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = offset.Partition,
                    CommittedOffset = offset.Offset,
                    CommittedLeaderEpoch = version >= 5 ? offset.LeaderEpoch : -1,
                    Metadata = offset.Metadata,
                    ErrorCode = (short)offset.Error,
                });
            }

            response.Topics.Add(topicResponse);
        }

        return new(response);
    }
}
