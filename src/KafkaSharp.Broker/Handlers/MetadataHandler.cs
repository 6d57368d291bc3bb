using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// Metadata (v0–12), as Kafka's ZooKeeper-mode broker answers it: brokers on the client's listener, cluster and
/// controller ids, and the requested topics (all of them for a null list, or an empty one in v0). A missing topic is
/// auto-created when the request allows it (always before v4) and auto.create.topics.enable is on; like Kafka, the
/// answer for a topic just created is LEADER_NOT_AVAILABLE without partitions, and the client asks again. Otherwise a
/// missing topic is UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION when its name is illegal. v12 may name
/// topics by id (UNKNOWN_TOPIC_ID when absent).
/// </summary>
public sealed class MetadataHandler : RequestHandler<MetadataRequest>
{
    private readonly IClusterMetadata _metadata;
    private readonly TopicManager _topics;
    private readonly Func<BrokerConfig> _config;

    public MetadataHandler(IClusterMetadata metadata, TopicManager topics, Func<BrokerConfig> config)
    {
        _metadata = metadata;
        _topics = topics;
        _config = config;
    }

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        bool allTopics = request.Topics is null || (version == 0 && request.Topics.Count == 0);
        var response = new MetadataResponse();
        var requestedNames = new List<string>();
        if (!allTopics)
        {
            foreach (MetadataRequest.MetadataRequestTopic topic in request.Topics!)
            {
                if (version < 12 && (topic.Name is null || topic.TopicId != Guid.Empty))
                {
                    // Kafka throws InvalidRequestException here; its error response marks every topic.
                    return ErrorResponse(request, ErrorCode.InvalidRequest);
                }

                if (topic.Name is null)
                {
                    if (_metadata.Current.TryGetTopic(topic.TopicId, out TopicState? byId))
                    {
                        requestedNames.Add(byId.Name);
                    }
                    else
                    {
                        response.Topics.Add(new MetadataResponse.MetadataResponseTopic
                        {
                            ErrorCode = (short)ErrorCode.UnknownTopicId,
                            Name = null,
                            TopicId = topic.TopicId,
                        });
                    }
                }
                else if (!requestedNames.Contains(topic.Name))
                {
                    requestedNames.Add(topic.Name);
                }
            }
        }

        bool autoCreate = (version < 4 || request.AllowAutoTopicCreation) && _config().AutoCreateTopicsEnable;
        var created = new Dictionary<string, ErrorCode>(StringComparer.Ordinal);
        if (autoCreate)
        {
            foreach (string name in requestedNames)
            {
                if (!_metadata.Current.TryGetTopic(name, out _))
                {
                    created[name] = await AutoCreateAsync(name, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        ClusterImage image = _metadata.Current;
        bool topicOps = version >= 8 && request.IncludeTopicAuthorizedOperations;
        AddBrokers(response, image, context.Connection.ListenerName);
        response.ClusterId = image.ClusterId;
        response.ControllerId = image.ControllerId;
        if (version is >= 8 and <= 10 && request.IncludeClusterAuthorizedOperations)
        {
            response.ClusterAuthorizedOperations = AclOperations.AllClusterOperations;
        }

        IEnumerable<string> names = allTopics ? image.TopicsByName.Keys : requestedNames;
        foreach (string name in names)
        {
            if (created.TryGetValue(name, out ErrorCode creationError))
            {
                response.Topics.Add(MissingTopic(name, creationError, topicOps));
            }
            else if (image.TryGetTopic(name, out TopicState? topic))
            {
                response.Topics.Add(Describe(topic, image, version, topicOps));
            }
            else
            {
                ErrorCode error = TopicNames.Validate(name) is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.InvalidTopicException;
                response.Topics.Add(MissingTopic(name, error, topicOps));
            }
        }

        return response;
    }

    /// <summary>Kafka reports a freshly created topic as LEADER_NOT_AVAILABLE; other failures as themselves.</summary>
    private async ValueTask<ErrorCode> AutoCreateAsync(string name, CancellationToken cancellationToken)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return ErrorCode.InvalidTopicException;
        }

        TopicCreationResult result = await _topics.AutoCreateTopicAsync(name, cancellationToken).ConfigureAwait(false);
        return result.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.LeaderNotAvailable : result.Error;
    }

    private static MetadataResponse.MetadataResponseTopic MissingTopic(string name, ErrorCode error, bool topicOps) => new()
    {
        ErrorCode = (short)error,
        Name = name,
        IsInternal = InternalTopics.IsInternal(name),
        TopicAuthorizedOperations = topicOps ? AclOperations.AllTopicOperations : AclOperations.NotRequested,
    };

    private static void AddBrokers(MetadataResponse response, ClusterImage image, string listener)
    {
        foreach (BrokerNode broker in image.Brokers)
        {
            if (broker.EndpointFor(listener) is { } endpoint)
            {
                response.Brokers.Add(new MetadataResponse.MetadataResponseBroker
                {
                    NodeId = broker.Id,
                    Host = endpoint.Host,
                    Port = endpoint.Port,
                    Rack = broker.Rack,
                });
            }
        }
    }

    private static MetadataResponse.MetadataResponseTopic Describe(TopicState topic, ClusterImage image, short version, bool topicOps)
    {
        var result = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.TopicId,
            IsInternal = topic.IsInternal,
            TopicAuthorizedOperations = topicOps ? AclOperations.AllTopicOperations : AclOperations.NotRequested,
        };
        foreach (PartitionState partition in topic.Partitions)
        {
            ErrorCode error = partition.Leader == -1 || image.GetBroker(partition.Leader) is null ? ErrorCode.LeaderNotAvailable : ErrorCode.None;
            List<int> replicas = [.. partition.Replicas];

            // v0 clients get REPLICA_NOT_AVAILABLE and only the live replicas (Kafka's errorUnavailableEndpoints).
            if (version == 0 && error == ErrorCode.None && partition.OfflineReplicas.Count > 0)
            {
                error = ErrorCode.ReplicaNotAvailable;
                replicas.RemoveAll(partition.OfflineReplicas.Contains);
            }

            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                ErrorCode = (short)error,
                PartitionIndex = partition.Partition,
                LeaderId = partition.Leader,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = replicas,
                IsrNodes = [.. partition.Isr],
                OfflineReplicas = [.. partition.OfflineReplicas],
            });
        }

        return result;
    }

    private static MetadataResponse ErrorResponse(MetadataRequest request, ErrorCode error)
    {
        var response = new MetadataResponse();
        foreach (MetadataRequest.MetadataRequestTopic topic in request.Topics ?? [])
        {
            response.Topics.Add(new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)error, Name = topic.Name, TopicId = topic.TopicId });
        }

        return response;
    }
}
