namespace KafkaSharp.Storage.Producers;

/// <summary>
/// One producer's state in one partition (Kafka's ProducerStateEntry): its epoch and the metadata of its last
/// <see cref="BatchesToRetain"/> batches, oldest first, in a fixed ring so appends never allocate.
/// </summary>
public sealed class ProducerStateEntry
{
    /// <summary>Kafka keeps 5, matching the producer's max.in.flight.requests.per.connection limit for idempotence.</summary>
    public const int BatchesToRetain = 5;

    private readonly ProducerBatchMetadata[] _batches = new ProducerBatchMetadata[BatchesToRetain];
    private int _first;
    private int _count;

    public ProducerStateEntry(long producerId, short epoch, long lastTimestamp, int coordinatorEpoch = -1, long currentTxnFirstOffset = -1)
    {
        ProducerId = producerId;
        Epoch = epoch;
        LastTimestamp = lastTimestamp;
        CoordinatorEpoch = coordinatorEpoch;
        CurrentTxnFirstOffset = currentTxnFirstOffset;
    }

    public long ProducerId { get; }

    public short Epoch { get; private set; }

    /// <summary>The max timestamp of the producer's last batch; producer.id.expiration.ms counts from here.</summary>
    public long LastTimestamp { get; private set; }

    /// <summary>Kept for the snapshot format; transaction markers (a later feature) set it.</summary>
    public int CoordinatorEpoch { get; }

    /// <summary>First offset of an open transaction, -1 when none (always -1 until transactions exist).</summary>
    public long CurrentTxnFirstOffset { get; }

    public int BatchCount => _count;

    public bool IsEmpty => _count == 0;

    public int LastSequence => _count == 0 ? Sequences.None : Last.LastSequence;

    public long LastOffset => _count == 0 ? -1 : Last.LastOffset;

    public int LastOffsetDelta => _count == 0 ? 0 : Last.OffsetDelta;

    private ref ProducerBatchMetadata Last => ref _batches[(_first + _count - 1) % BatchesToRetain];

    /// <summary>The cached batches, oldest first.</summary>
    public ProducerBatchMetadata BatchAt(int index) => _batches[(_first + index) % BatchesToRetain];

    /// <summary>A cached batch of the current epoch with exactly this sequence range: a retry of it.</summary>
    public bool TryFindDuplicate(short epoch, int firstSequence, int lastSequence, out ProducerBatchMetadata batch)
    {
        if (epoch == Epoch)
        {
            for (int i = 0; i < _count; i++)
            {
                batch = BatchAt(i);
                if (batch.LastSequence == lastSequence && batch.FirstSequence == firstSequence)
                {
                    return true;
                }
            }
        }

        batch = default;
        return false;
    }

    /// <summary>Records an appended batch; a new epoch forgets the old epoch's batches.</summary>
    public void AddBatch(short epoch, ProducerBatchMetadata batch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _first = 0;
            _count = 0;
        }

        if (_count == BatchesToRetain)
        {
            _first = (_first + 1) % BatchesToRetain;
            _count--;
        }

        _count++;
        Last = batch;
        LastTimestamp = batch.Timestamp;
    }
}
