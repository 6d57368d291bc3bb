using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// CreateTopics (v0–7): each topic is checked and created independently (see <see cref="TopicManager"/>);
/// validate_only runs the checks alone. From v5 a result also carries the partition count, replication factor and
/// every effective topic config (KIP-525); v7 adds the topic id. A name given twice is refused as Kafka does.
/// </summary>
public sealed class CreateTopicsHandler : RequestHandler<CreateTopicsRequest>
{
    private readonly TopicManager _topics;

    public CreateTopicsHandler(TopicManager topics) => _topics = topics;

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreateTopicsResponse();
        HashSet<string> duplicates = [.. request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (CreateTopicsRequest.CreatableTopic topic in request.Topics)
        {
            if (!seen.Add(topic.Name))
            {
                continue;
            }

            if (duplicates.Contains(topic.Name))
            {
                response.Topics.Add(Failed(topic.Name, ErrorCode.InvalidRequest, "Found multiple entries for this topic."));
                continue;
            }

            var creation = new TopicCreation(
                topic.Name,
                topic.NumPartitions,
                topic.ReplicationFactor,
                topic.Assignments.Count == 0 ? null : ToAssignments(topic.Assignments),
                topic.Configs.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal));
            if (creation.Assignments is not null && creation.Assignments.Count != topic.Assignments.Count)
            {
                response.Topics.Add(Failed(topic.Name, ErrorCode.InvalidReplicaAssignment, "Partitions should be a consecutive 0-based integer sequence."));
                continue;
            }

            TopicCreationResult result = await _topics.CreateTopicAsync(creation, request.ValidateOnly, cancellationToken).ConfigureAwait(false);
            response.Topics.Add(result.Error == ErrorCode.None
                ? Succeeded(topic.Name, result, context.ApiVersion)
                : Failed(topic.Name, result.Error, result.Message));
        }

        return response;
    }

    private static Dictionary<int, IReadOnlyList<int>> ToAssignments(List<CreateTopicsRequest.CreatableReplicaAssignment> assignments)
    {
        var result = new Dictionary<int, IReadOnlyList<int>>();
        foreach (CreateTopicsRequest.CreatableReplicaAssignment assignment in assignments)
        {
            result.TryAdd(assignment.PartitionIndex, assignment.BrokerIds);
        }

        return result;
    }

    private static CreateTopicsResponse.CreatableTopicResult Failed(string name, ErrorCode error, string? message) => new()
    {
        Name = name,
        ErrorCode = (short)error,
        ErrorMessage = message,
        Configs = [],
    };

    private static CreateTopicsResponse.CreatableTopicResult Succeeded(string name, TopicCreationResult result, short version)
    {
        var topic = new CreateTopicsResponse.CreatableTopicResult
        {
            Name = name,
            TopicId = version >= 7 && result.Topic is { } t ? t.TopicId : Guid.Empty,
            ErrorMessage = null,
            NumPartitions = result.NumPartitions,
            ReplicationFactor = result.ReplicationFactor,
            Configs = [],
        };
        if (version >= 5 && result.Config is { } config)
        {
            foreach (ConfigEntry entry in config.Describe())
            {
                topic.Configs.Add(new CreateTopicsResponse.CreatableTopicConfigs
                {
                    Name = entry.Name,
                    Value = entry.IsSensitive ? null : entry.Value,
                    ReadOnly = entry.IsReadOnly,
                    ConfigSource = (sbyte)entry.Source,
                    IsSensitive = entry.IsSensitive,
                });
            }
        }

        return topic;
    }
}
