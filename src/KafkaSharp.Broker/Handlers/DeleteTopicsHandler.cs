using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DeleteTopics (v0–6): by name (topic_names before v6) or, from v6, by name or id. With delete.topic.enable=false
/// Kafka answers TOPIC_DELETION_DISABLED from v3 and INVALID_REQUEST before (the error code did not exist yet).
/// </summary>
public sealed class DeleteTopicsHandler : RequestHandler<DeleteTopicsRequest>
{
    private readonly IClusterMetadata _metadata;
    private readonly TopicManager _topics;
    private readonly Func<BrokerConfig> _config;

    public DeleteTopicsHandler(IClusterMetadata metadata, TopicManager topics, Func<BrokerConfig> config)
    {
        _metadata = metadata;
        _topics = topics;
        _config = config;
    }

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        List<DeleteTopicsRequest.DeleteTopicState> targets = version >= 6
            ? request.Topics
            : [.. request.TopicNames.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n })];
        var response = new DeleteTopicsResponse();
        bool enabled = _config().DeleteTopicEnable;
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<Guid>();
        foreach (DeleteTopicsRequest.DeleteTopicState target in targets)
        {
            if (target.Name is not null ? !seenNames.Add(target.Name) : !seenIds.Add(target.TopicId))
            {
                continue;
            }

            var result = new DeletableTopicResultBuilder(target.Name, target.TopicId);
            if (!enabled)
            {
                result.Fail(version >= 3 ? ErrorCode.TopicDeletionDisabled : ErrorCode.InvalidRequest, "Topic deletion is disabled.");
            }
            else if (target.Name is not null && target.TopicId != Guid.Empty)
            {
                result.Fail(ErrorCode.InvalidRequest, "Topic name and topic ID can not both be specified.");
            }
            else if (Resolve(target) is not { } topic)
            {
                result.Fail(
                    target.Name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition,
                    target.Name is null ? "This server does not host this topic ID." : "This server does not host this topic-partition.");
            }
            else
            {
                result.Resolved(topic);
                (ErrorCode error, string? message) = await _topics.DeleteTopicAsync(topic, cancellationToken).ConfigureAwait(false);
                if (error != ErrorCode.None)
                {
                    result.Fail(error, message);
                }
            }

            response.Responses.Add(result.Build());
        }

        return response;
    }

    private TopicState? Resolve(DeleteTopicsRequest.DeleteTopicState target)
    {
        ClusterImage image = _metadata.Current;
        return target.Name is not null
            ? image.TryGetTopic(target.Name, out TopicState? byName) ? byName : null
            : image.TryGetTopic(target.TopicId, out TopicState? byId) ? byId : null;
    }

    private sealed class DeletableTopicResultBuilder(string? name, Guid topicId)
    {
        private readonly DeleteTopicsResponse.DeletableTopicResult _result = new() { Name = name, TopicId = topicId };

        public void Resolved(TopicState topic)
        {
            _result.Name = topic.Name;
            _result.TopicId = topic.TopicId;
        }

        public void Fail(ErrorCode error, string? message)
        {
            _result.ErrorCode = (short)error;
            _result.ErrorMessage = message;
        }

        public DeleteTopicsResponse.DeletableTopicResult Build() => _result;
    }
}
