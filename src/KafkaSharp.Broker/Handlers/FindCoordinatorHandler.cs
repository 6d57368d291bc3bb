using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// FindCoordinator (v0–6; batched coordinator_keys from v4): a group's coordinator is the leader of its
/// <c>__consumer_offsets</c> partition. Like Kafka, the first look-up creates the topic; unlike Kafka, which answers
/// COORDINATOR_NOT_AVAILABLE and lets the client retry, this broker creates it before answering, so the first
/// look-up already finds the coordinator.
/// </summary>
public sealed class FindCoordinatorHandler(IClusterMetadata metadata, TopicManager topics, GroupCoordinator coordinator) : RequestHandler<FindCoordinatorRequest>, IDisposable
{
    private const sbyte GroupKey = 0, TransactionKey = 1, ShareKey = 2;

    // The first look-ups of many consumers arrive together: one of them creates the topic, the others wait for it.
    private readonly SemaphoreSlim _creating = new(1, 1);

    public void Dispose() => _creating.Dispose();

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        string listener = context.Connection.ListenerName;
        if (context.ApiVersion < 4)
        {
            (ErrorCode error, BrokerEndpoint? endpoint, int nodeId) = await FindAsync(request.KeyType, request.Key, context.ApiVersion, listener, cancellationToken).ConfigureAwait(false);
            return new FindCoordinatorResponse
            {
                ErrorCode = (short)error,
                ErrorMessage = error == ErrorCode.None ? null : error.ToString(),
                NodeId = nodeId,
                Host = endpoint?.Host ?? "",
                Port = endpoint?.Port ?? -1,
            };
        }

        var response = new FindCoordinatorResponse();
        foreach (string key in request.CoordinatorKeys)
        {
            (ErrorCode error, BrokerEndpoint? endpoint, int nodeId) = await FindAsync(request.KeyType, key, context.ApiVersion, listener, cancellationToken).ConfigureAwait(false);
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                NodeId = nodeId,
                Host = endpoint?.Host ?? "",
                Port = endpoint?.Port ?? -1,
                ErrorCode = (short)error,
                ErrorMessage = error == ErrorCode.None ? null : error.ToString(),
            });
        }

        return response;
    }

    private async ValueTask<(ErrorCode Error, BrokerEndpoint? Endpoint, int NodeId)> FindAsync(sbyte keyType, string key, short version, string listener, CancellationToken cancellationToken)
    {
        switch (keyType)
        {
            case GroupKey:
                break;
            case TransactionKey:
                // The transaction coordinator (and __transaction_state) does not exist yet: transactional producers
                // retry this, as they would while Kafka's coordinator is unavailable.
                return (ErrorCode.CoordinatorNotAvailable, null, -1);
            case ShareKey:
                // KIP-932 share groups: not in a 3.9 ZooKeeper-mode broker either.
                return (version < 6 ? ErrorCode.InvalidRequest : ErrorCode.CoordinatorNotAvailable, null, -1);
            default:
                return (ErrorCode.InvalidRequest, null, -1);
        }

        if (!metadata.Current.TryGetTopic(InternalTopics.ConsumerOffsets, out TopicState? topic))
        {
            await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!metadata.Current.TryGetTopic(InternalTopics.ConsumerOffsets, out topic))
                {
                    TopicCreationResult created = await topics.AutoCreateTopicAsync(InternalTopics.ConsumerOffsets, cancellationToken).ConfigureAwait(false);
                    if (created.Error is not (ErrorCode.None or ErrorCode.TopicAlreadyExists)
                        || !metadata.Current.TryGetTopic(InternalTopics.ConsumerOffsets, out topic))
                    {
                        return (ErrorCode.CoordinatorNotAvailable, null, -1);
                    }
                }
            }
            finally
            {
                _creating.Release();
            }
        }

        int partition = coordinator.PartitionFor(key);
        if (partition >= topic.Partitions.Count)
        {
            return (ErrorCode.CoordinatorNotAvailable, null, -1);
        }

        int leader = topic.Partitions[partition].Leader;
        BrokerEndpoint? endpoint = leader < 0 ? null : metadata.Current.GetBroker(leader)?.EndpointFor(listener);
        return endpoint is null ? (ErrorCode.CoordinatorNotAvailable, null, -1) : (ErrorCode.None, endpoint, leader);
    }
}
