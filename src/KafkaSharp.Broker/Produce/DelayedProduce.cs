using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Delayed;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Produce;

/// <summary>
/// An acks=-1 produce whose batches are in the leader's log, waiting for the high watermark to pass each partition's
/// last appended offset (every ISR member has it), as Kafka's DelayedProduce. With this broker as the only replica
/// it is satisfied at once; with followers, their fetches move the high watermark and wake it.
/// </summary>
internal sealed class DelayedProduce : DelayedOperation
{
    private readonly List<Pending> _pending;

    public DelayedProduce(List<Pending> pending) => _pending = pending;

    public IEnumerable<TopicPartition> Keys => _pending.Select(p => p.Hosted.TopicPartition);

    protected override bool IsSatisfied()
    {
        foreach (Pending pending in _pending)
        {
            if (pending.Hosted.Log.HighWatermark < pending.RequiredOffset)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Fills in the partitions' final errors: REQUEST_TIMED_OUT where the high watermark did not get there, and
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND where it did but the ISR shrank below min.insync.replicas meanwhile.
    /// </summary>
    public void Finish(ReplicaManager replicas)
    {
        foreach (Pending pending in _pending)
        {
            if (pending.Hosted.Log.HighWatermark < pending.RequiredOffset)
            {
                pending.Response.ErrorCode = (short)ErrorCode.RequestTimedOut;
                pending.Response.ErrorMessage = "The high watermark did not reach the produced offsets before the request timed out.";
            }
            else if (ReplicaManager.IsrSize(pending.Hosted) < replicas.MinInsyncReplicas(pending.Hosted))
            {
                pending.Response.ErrorCode = (short)ErrorCode.NotEnoughReplicasAfterAppend;
                pending.Response.ErrorMessage = "The ISR shrank below min.insync.replicas after the records were appended.";
            }
        }
    }

    internal sealed record Pending(HostedPartition Hosted, long RequiredOffset, ProduceResponse.PartitionProduceResponse Response);
}
