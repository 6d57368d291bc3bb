using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DeleteRecords (v0–2): moves each partition's log start offset up to the given offset (-1: the high watermark),
/// deleting whole segments below it, and answers the new low watermark. An offset above the high watermark is
/// OFFSET_OUT_OF_RANGE; a topic without cleanup.policy=delete is POLICY_VIOLATION, as in Kafka. Kafka waits for
/// followers' low watermarks (DelayedDeleteRecords); with this broker the only replica the answer is immediate, so
/// timeout_ms is not needed yet. Long-poll fetches on the partition are woken: their offset may now be out of range.
/// </summary>
public sealed class DeleteRecordsHandler : RequestHandler<DeleteRecordsRequest>
{
    private const long HighWatermarkOffset = -1;

    private readonly ReplicaManager _replicas;

    public DeleteRecordsHandler(ReplicaManager replicas) => _replicas = replicas;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteRecordsResponse();
        foreach (DeleteRecordsRequest.DeleteRecordsTopic topic in request.Topics)
        {
            var topicResult = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            foreach (DeleteRecordsRequest.DeleteRecordsPartition partition in topic.Partitions)
            {
                var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = partition.PartitionIndex, LowWatermark = -1 };
                result.ErrorCode = (short)Delete(topic.Name, partition, result);
                topicResult.Partitions.Add(result);
            }

            response.Topics.Add(topicResult);
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }

    private ErrorCode Delete(string topic, DeleteRecordsRequest.DeleteRecordsPartition partition, DeleteRecordsResponse.DeleteRecordsPartitionResult result)
    {
        ErrorCode error = _replicas.TryGetLeader(topic, partition.PartitionIndex, -1, out HostedPartition? hosted);
        if (hosted is null)
        {
            return error;
        }

        if (!hosted.Log.Config.IsDeleteEnabled)
        {
            return ErrorCode.PolicyViolation;
        }

        long offset = partition.Offset == HighWatermarkOffset ? hosted.Log.HighWatermark : partition.Offset;
        try
        {
            result.LowWatermark = hosted.Log.DeleteRecordsBefore(offset);
        }
        catch (StorageException e)
        {
            return (ErrorCode)(short)e.ErrorCode;
        }

        _replicas.FetchPurgatory.CheckAndComplete(hosted.TopicPartition);
        return ErrorCode.None;
    }
}
