using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// Answers for controller requests reaching a broker that runs without ZooKeeper: it is its own controller, so any
/// other controller is treated as a stale one (STALE_CONTROLLER_EPOCH) and nothing is applied.
/// </summary>
internal static class NoController
{
    public static LeaderAndIsrResponse LeaderAndIsr(LeaderAndIsrRequest request, short version)
    {
        const short Error = (short)ErrorCode.StaleControllerEpoch;
        var response = new LeaderAndIsrResponse { ErrorCode = Error };
        if (version < 2)
        {
            response.PartitionErrors.AddRange(request.UngroupedPartitionStates.Select(p =>
                new LeaderAndIsrResponse.LeaderAndIsrPartitionError { TopicName = p.TopicName, PartitionIndex = p.PartitionIndex, ErrorCode = Error }));
        }
        else if (version < 5)
        {
            response.PartitionErrors.AddRange(request.TopicStates.SelectMany(t => t.PartitionStates.Select(p =>
                new LeaderAndIsrResponse.LeaderAndIsrPartitionError { TopicName = t.TopicName, PartitionIndex = p.PartitionIndex, ErrorCode = Error })));
        }
        else
        {
            response.Topics.AddRange(request.TopicStates.Select(t => new LeaderAndIsrResponse.LeaderAndIsrTopicError
            {
                TopicId = t.TopicId,
                PartitionErrors = [.. t.PartitionStates.Select(p => new LeaderAndIsrResponse.LeaderAndIsrPartitionError { PartitionIndex = p.PartitionIndex, ErrorCode = Error })],
            }));
        }

        return response;
    }
}
