using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Handlers;

/// <summary>
/// AlterPartitionReassignments (API 45, v0, KIP-455) on the controller; NOT_CONTROLLER at the top level elsewhere.
/// </summary>
public sealed class AlterPartitionReassignmentsHandler(KafkaController controller) : RequestHandler<AlterPartitionReassignmentsRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, AlterPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterPartitionReassignmentsResponse { ErrorMessage = null };
        if (!controller.IsActive)
        {
            response.ErrorCode = (short)ErrorCode.NotController;
            response.ErrorMessage = "This broker is not the controller.";
            return response;
        }

        var targets = new Dictionary<(string Topic, int Partition), IReadOnlyList<int>?>();
        foreach (var topic in request.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                targets[(topic.Name, partition.PartitionIndex)] = partition.Replicas;
            }
        }

        var results = await controller.AlterReassignmentsAsync(targets).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var topic in request.Topics)
        {
            var entry = new AlterPartitionReassignmentsResponse.ReassignableTopicResponse { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                (ErrorCode error, string? message) = results[(topic.Name, partition.PartitionIndex)];
                entry.Partitions.Add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)error,
                    ErrorMessage = message,
                });
            }

            response.Responses.Add(entry);
        }

        return response;
    }
}
