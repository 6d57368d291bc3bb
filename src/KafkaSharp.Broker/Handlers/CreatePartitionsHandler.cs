using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>CreatePartitions (v0–3): grows each topic to its new count, or only checks it with validate_only.</summary>
public sealed class CreatePartitionsHandler : RequestHandler<CreatePartitionsRequest>
{
    private readonly TopicManager _topics;

    public CreatePartitionsHandler(TopicManager topics) => _topics = topics;

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        HashSet<string> duplicates = [.. request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (CreatePartitionsRequest.CreatePartitionsTopic topic in request.Topics)
        {
            if (!seen.Add(topic.Name))
            {
                continue;
            }

            ErrorCode error;
            string? message;
            if (duplicates.Contains(topic.Name))
            {
                (error, message) = (ErrorCode.InvalidRequest, "Duplicate topic in request.");
            }
            else
            {
                IReadOnlyList<IReadOnlyList<int>>? assignments = topic.Assignments?.Select(a => (IReadOnlyList<int>)a.BrokerIds).ToList();
                (error, message) = await _topics.CreatePartitionsAsync(topic.Name, topic.Count, assignments, request.ValidateOnly, cancellationToken).ConfigureAwait(false);
            }

            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)error,
                ErrorMessage = message,
            });
        }

        return response;
    }
}
