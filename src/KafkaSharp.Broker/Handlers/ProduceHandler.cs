using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Produce;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// Produce (v0–11), as Kafka's KafkaApis.handleProduceRequest and ReplicaManager.appendRecords: per partition, the
/// topic must exist (UNKNOWN_TOPIC_OR_PARTITION; like Kafka, Produce never auto-creates — clients create through
/// Metadata), the records must follow the version's format rules, acks must be -1, 0 or 1 (INVALID_REQUIRED_ACKS),
/// this broker must lead (NOT_LEADER_OR_FOLLOWER) and acks=-1 needs min.insync.replicas in the ISR
/// (NOT_ENOUGH_REPLICAS). The log validates and appends the bytes in place. acks=-1 then waits in the produce
/// purgatory for the high watermark. acks=0 gets no response; when any partition failed, the connection is closed
/// instead, as Kafka does, so the producer notices and refreshes its metadata.
/// </summary>
/// <remarks>
/// A batch with a producer id (idempotent producer) is checked against the partition's producer state inside the
/// log's append: OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH and INVALID_TXN_STATE come back as partition
/// errors, and a retry of one of the producer's last five batches is answered with the offsets it was first given,
/// without appending it again, as Kafka does.
/// </remarks>
public sealed partial class ProduceHandler : RequestHandler<ProduceRequest>
{
    // Kafka lets only its own admin tooling write to internal topics (AdminUtils.AdminClientId).
    private const string AdminClientId = "__admin_client";

    private readonly ReplicaManager _replicas;
    private readonly ILogger _logger;

    public ProduceHandler(ReplicaManager replicas, ILogger<ProduceHandler> logger)
    {
        _replicas = replicas;
        _logger = logger;
    }

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        short acks = request.Acks;
        bool validAcks = acks is -1 or 0 or 1;
        bool internalAllowed = context.ClientId == AdminClientId;
        var response = new ProduceResponse();
        List<DelayedProduce.Pending>? waiting = null;
        ErrorCode firstError = ErrorCode.None;
        foreach (ProduceRequest.TopicProduceData topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            foreach (ProduceRequest.PartitionProduceData partition in topic.PartitionData)
            {
                var result = new ProduceResponse.PartitionProduceResponse { Index = partition.Index, BaseOffset = -1 };
                HostedPartition? hosted = AppendOne(topic.Name, partition, version, acks, validAcks, internalAllowed, result, out long nextOffset);
                if (result.ErrorCode != 0)
                {
                    firstError = firstError == ErrorCode.None ? (ErrorCode)result.ErrorCode : firstError;
                    result.ErrorMessage = version >= 8 ? result.ErrorMessage : null;
                }
                else if (acks == -1 && hosted is not null)
                {
                    (waiting ??= []).Add(new DelayedProduce.Pending(hosted, nextOffset, result));
                }

                topicResponse.PartitionResponses.Add(result);
            }

            response.Responses.Add(topicResponse);
        }

        if (acks == 0)
        {
            if (firstError != ErrorCode.None)
            {
                ProduceLog.ClosingAcksZero(_logger, context.Connection.ConnectionId, firstError);
                throw new KafkaApiException(firstError, $"acks=0 produce failed with {firstError}: closing the connection as Kafka does.");
            }

            return null;
        }

        if (waiting is not null)
        {
            var delayed = new DelayedProduce(waiting);
            if (!_replicas.ProducePurgatory.TryCompleteElseWatch(delayed, delayed.Keys, TimeSpan.FromMilliseconds(Math.Max(0, request.TimeoutMs)), cancellationToken))
            {
                await delayed.Completion.ConfigureAwait(false);
            }

            delayed.Finish(_replicas);
        }

        return response;
    }

    /// <summary>Validates and appends one partition's records, filling <paramref name="result"/>. Returns the partition on success.</summary>
    private HostedPartition? AppendOne(string topic, ProduceRequest.PartitionProduceData partition, short version, short acks, bool validAcks,
        bool internalAllowed, ProduceResponse.PartitionProduceResponse result, out long nextOffset)
    {
        nextOffset = -1;
        if (InternalTopics.IsInternal(topic) && !internalAllowed)
        {
            return Fail(result, ErrorCode.InvalidTopicException, $"Cannot append to internal topic {topic}.");
        }

        ErrorCode error = _replicas.TryGetLeader(topic, partition.Index, -1, out HostedPartition? hosted);
        if (error == ErrorCode.UnknownTopicOrPartition)
        {
            return Fail(result, error, $"This server does not host {topic}-{partition.Index}.");
        }

        error = ProducedRecords.TryPrepare(partition.Records, version, out ProducedRecords? records, out string? message);
        if (error != ErrorCode.None)
        {
            return Fail(result, error, message);
        }

        using (records)
        {
            if (!validAcks)
            {
                return Fail(result, ErrorCode.InvalidRequiredAcks, $"Invalid required acks {acks}: it must be -1, 0 or 1.");
            }

            if (hosted is null)
            {
                return Fail(result, error == ErrorCode.None ? ErrorCode.NotLeaderOrFollower : error, $"This broker cannot append to {topic}-{partition.Index}: {error}.");
            }

            TopicProduceSettings settings = _replicas.ProduceSettingsFor(hosted);
            if (acks == -1 && ReplicaManager.IsrSize(hosted) < settings.MinInsyncReplicas)
            {
                return Fail(result, ErrorCode.NotEnoughReplicas,
                    $"The ISR of {topic}-{partition.Index} has {ReplicaManager.IsrSize(hosted)} replica(s), below min.insync.replicas {settings.MinInsyncReplicas}.");
            }

            if (settings.TargetCompression is CompressionType target)
            {
                error = records!.TryRecompress(target, out message);
                if (error != ErrorCode.None)
                {
                    return Fail(result, error, message);
                }
            }

            AppendResult appended;
            try
            {
                appended = hosted.Log.Append(records!.Bytes.Span, hosted.State.LeaderEpoch);
            }
            catch (StorageException e)
            {
                var failure = (ErrorCode)(short)e.ErrorCode;
                if (version >= 8 && failure is ErrorCode.InvalidRecord or ErrorCode.InvalidTimestamp)
                {
                    result.RecordErrors = RecordErrorLocator.Locate(records!.Bytes.Span, hosted.Log.Config, _replicas.Time.GetUtcNow().ToUnixTimeMilliseconds());
                }

                return Fail(result, failure, e.Message);
            }

            result.BaseOffset = appended.FirstOffset;
            result.LogAppendTimeMs = appended.LogAppendTime;
            result.LogStartOffset = appended.LogStartOffset;
            nextOffset = appended.LastOffset + 1;
            if (appended.RecordCount > 0)
            {
                _replicas.OnAppended(hosted);
            }

            return hosted;
        }
    }

    private static HostedPartition? Fail(ProduceResponse.PartitionProduceResponse result, ErrorCode error, string? message)
    {
        result.ErrorCode = (short)error;
        result.ErrorMessage = message;
        result.BaseOffset = -1;
        result.LogAppendTimeMs = -1;
        result.LogStartOffset = -1;
        return null;
    }

    private static partial class ProduceLog
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Connection {ConnectionId}: acks=0 produce failed with {Error}; closing it")]
        public static partial void ClosingAcksZero(ILogger logger, string connectionId, ErrorCode error);
    }
}
