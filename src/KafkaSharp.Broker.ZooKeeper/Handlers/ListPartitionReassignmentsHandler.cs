using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Handlers;

/// <summary>ListPartitionReassignments (API 46, v0, KIP-455): the ongoing reassignments, from the controller.</summary>
public sealed class ListPartitionReassignmentsHandler(KafkaController controller) : RequestHandler<ListPartitionReassignmentsRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, ListPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListPartitionReassignmentsResponse { ErrorMessage = null };
        (string, int)[]? wanted = request.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => (t.Name, p))).ToArray();
        IReadOnlyList<OngoingReassignment>? ongoing = await controller.ListReassignmentsAsync(wanted).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (ongoing is null)
        {
            response.ErrorCode = (short)ErrorCode.NotController;
            response.ErrorMessage = "This broker is not the controller.";
            return response;
        }

        foreach (var topic in ongoing.GroupBy(o => o.Topic, StringComparer.Ordinal))
        {
            var entry = new ListPartitionReassignmentsResponse.OngoingTopicReassignment { Name = topic.Key };
            foreach (OngoingReassignment o in topic)
            {
                entry.Partitions.Add(new ListPartitionReassignmentsResponse.OngoingPartitionReassignment
                {
                    PartitionIndex = o.Partition,
                    Replicas = [.. o.Replicas],
                    AddingReplicas = [.. o.Adding],
                    RemovingReplicas = [.. o.Removing],
                });
            }

            response.Topics.Add(entry);
        }

        return response;
    }
}
