using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DescribeProducers (v0, KIP-664): the producers each partition's leader knows — id, epoch, last sequence, last
/// timestamp, coordinator epoch and open transaction start (-1: none; transactions do not exist yet). A partition this
/// broker does not lead gets the error TryGetLeader gives (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION), as
/// Kafka's ReplicaManager.activeProducerState answers.
/// </summary>
public sealed class DescribeProducersHandler(ReplicaManager replicas) : RequestHandler<DescribeProducersRequest>
{
    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DescribeProducersRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeProducersResponse();
        foreach (DescribeProducersRequest.TopicRequest topic in request.Topics)
        {
            var topicResponse = new DescribeProducersResponse.TopicResponse { Name = topic.Name };
            foreach (int partition in topic.PartitionIndexes)
            {
                topicResponse.Partitions.Add(Describe(topic.Name, partition));
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }

    private DescribeProducersResponse.PartitionResponse Describe(string topic, int partition)
    {
        var result = new DescribeProducersResponse.PartitionResponse { PartitionIndex = partition };
        ErrorCode error = replicas.TryGetLeader(topic, partition, -1, out HostedPartition? hosted);
        if (hosted is null)
        {
            result.ErrorCode = (short)(error == ErrorCode.None ? ErrorCode.NotLeaderOrFollower : error);
            return result;
        }

        foreach (ActiveProducer producer in hosted.Log.ActiveProducers())
        {
            result.ActiveProducers.Add(new DescribeProducersResponse.ProducerState
            {
                ProducerId = producer.ProducerId,
                ProducerEpoch = producer.Epoch,
                LastSequence = producer.LastSequence,
                LastTimestamp = producer.LastTimestamp,
                CoordinatorEpoch = producer.CoordinatorEpoch,
                CurrentTxnStartOffset = producer.CurrentTxnStartOffset,
            });
        }

        return result;
    }
}
