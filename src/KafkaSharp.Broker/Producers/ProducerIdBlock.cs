namespace KafkaSharp.Broker.Producers;

/// <summary>A range of producer ids one broker may hand out (Kafka's ProducerIdsBlock); blocks never overlap.</summary>
public readonly record struct ProducerIdBlock(int BrokerId, long FirstId, int Size)
{
    /// <summary>Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE.</summary>
    public const int DefaultSize = 1000;

    public long LastId => FirstId + Size - 1;

    public long NextBlockFirstId => FirstId + Size;

    /// <summary>The block after <paramref name="previous"/> (or the first one, from 0), claimed by <paramref name="brokerId"/>.</summary>
    public static ProducerIdBlock After(ProducerIdBlock? previous, int brokerId)
    {
        long first = previous?.NextBlockFirstId ?? 0;
        if (first > long.MaxValue - DefaultSize)
        {
            throw new InvalidOperationException($"Producer ids are exhausted: the last block ends at {previous?.LastId}.");
        }

        return new ProducerIdBlock(brokerId, first, DefaultSize);
    }
}

/// <summary>
/// Where a broker claims its next block of producer ids, durably, so no id is handed out twice across restarts or
/// brokers: the embedded metadata file, or ZooKeeper's <c>/latest_producer_id_block</c>.
/// </summary>
public interface IProducerIdBlockSource
{
    Task<ProducerIdBlock> ClaimNextBlockAsync(int brokerId, CancellationToken cancellationToken);
}
