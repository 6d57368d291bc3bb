using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Handlers;

/// <summary>
/// ElectLeaders (API 43, v0–2, KIP-183/460): preferred or unclean election, run by the controller; other brokers
/// answer NOT_CONTROLLER per partition (the admin client sends it to the controller). Null topics: every partition.
/// </summary>
public sealed class ElectLeadersHandler(KafkaController controller) : RequestHandler<ElectLeadersRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, ElectLeadersRequest request, CancellationToken cancellationToken)
    {
        // v0 has no election type: preferred.
        byte type = context.ApiVersion == 0 ? (byte)0 : (byte)request.ElectionType;
        var response = new ElectLeadersResponse();
        if (type > 1)
        {
            response.ErrorCode = (short)ErrorCode.InvalidRequest;
            return response;
        }

        (string, int)[]? partitions = request.TopicPartitions?.SelectMany(t => t.Partitions.Select(p => (t.Topic, p))).Distinct().ToArray();
        var results = await controller.ElectLeadersAsync(type, partitions).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var topic in results.GroupBy(r => r.Key.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var entry = new ElectLeadersResponse.ReplicaElectionResult { Topic = topic.Key };
            foreach (var result in topic.OrderBy(r => r.Key.Partition))
            {
                entry.PartitionResult.Add(new ElectLeadersResponse.PartitionResult
                {
                    PartitionId = result.Key.Partition,
                    ErrorCode = (short)result.Value.Error,
                    ErrorMessage = result.Value.Message,
                });
            }

            response.ReplicaElectionResults.Add(entry);
        }

        return response;
    }
}
