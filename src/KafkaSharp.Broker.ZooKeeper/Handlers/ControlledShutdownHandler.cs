using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Handlers;

/// <summary>
/// ControlledShutdown (API 7, v0–3) on the controller: moves the stopping broker's leaderships and answers the
/// partitions it still leads. A broker that is not the controller answers NOT_CONTROLLER, as Kafka does.
/// </summary>
public sealed class ControlledShutdownHandler(KafkaController controller) : RequestHandler<ControlledShutdownRequest>
{
    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, ControlledShutdownRequest request, CancellationToken cancellationToken)
    {
        (ErrorCode error, IReadOnlyList<(string Topic, int Partition)> remaining) =
            await controller.ControlledShutdownAsync(request.BrokerId, request.BrokerEpoch).WaitAsync(cancellationToken).ConfigureAwait(false);
        var response = new ControlledShutdownResponse { ErrorCode = (short)error };
        foreach ((string topic, int partition) in remaining)
        {
            response.RemainingPartitions.Add(new ControlledShutdownResponse.RemainingPartition { TopicName = topic, PartitionIndex = partition });
        }

        return response;
    }
}
