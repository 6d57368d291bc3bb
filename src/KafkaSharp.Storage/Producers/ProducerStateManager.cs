using KafkaSharp.Protocol;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Producers;

/// <summary>
/// One partition's idempotent-producer state (Kafka's ProducerStateManager and ProducerAppendInfo): per producer id,
/// its epoch and last batches. The log calls it under its write lock, before offsets are assigned, for every batch that
/// carries a producer id. Rules (Kafka 3.9, client appends):
/// <list type="bullet">
/// <item>a batch whose epoch and sequence range match a cached batch is a retry: it is not appended again and the
/// producer gets the offsets it was first given;</item>
/// <item>an epoch below the producer's current one: INVALID_PRODUCER_EPOCH;</item>
/// <item>a new epoch must start at sequence 0 (OUT_OF_ORDER_SEQUENCE_NUMBER otherwise); a producer the partition
/// does not know (never seen, expired or removed by retention) may start at any sequence, as since KIP-360;</item>
/// <item>otherwise the first sequence must follow the last one (0 follows Int32.MaxValue):
/// OUT_OF_ORDER_SEQUENCE_NUMBER.</item>
/// </list>
/// Not thread-safe: the owning log serialises access.
/// </summary>
public sealed class ProducerStateManager
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];

    /// <summary>The log end offset this state covers: the offset a snapshot taken now would be named after.</summary>
    public long MapEndOffset { get; private set; }

    /// <summary>The offset of the newest snapshot written or loaded (−1 when none).</summary>
    public long LastSnapshotOffset { get; internal set; } = -1;

    public int ProducerCount => _producers.Count;

    public IReadOnlyCollection<ProducerStateEntry> Producers => _producers.Values;

    public bool TryGet(long producerId, out ProducerStateEntry entry) => _producers.TryGetValue(producerId, out entry!);

    /// <summary>
    /// Checks a produced batch against the producer's state. True when it duplicates a cached batch (its metadata in
    /// <paramref name="duplicate"/>); false when it may be appended; throws <see cref="StorageException"/> with
    /// Kafka's error otherwise.
    /// </summary>
    public bool CheckClientBatch(long producerId, short epoch, int firstSequence, int lastSequence, out ProducerBatchMetadata duplicate)
    {
        if (!_producers.TryGetValue(producerId, out ProducerStateEntry? entry))
        {
            // Unknown producer: any sequence starts it (KIP-360 dropped UNKNOWN_PRODUCER_ID for this case).
            duplicate = default;
            return false;
        }

        if (entry.TryFindDuplicate(epoch, firstSequence, lastSequence, out duplicate))
        {
            return true;
        }

        if (epoch < entry.Epoch)
        {
            StorageThrow.Throw(ErrorCode.InvalidProducerEpoch,
                $"Epoch of producer {producerId} is {epoch}, which is smaller than the last seen epoch {entry.Epoch}.");
        }

        if (epoch != entry.Epoch)
        {
            if (firstSequence != 0)
            {
                StorageThrow.Throw(ErrorCode.OutOfOrderSequenceNumber,
                    $"Invalid sequence number for new epoch {epoch} of producer {producerId}: {firstSequence} (a new epoch starts at 0), current epoch {entry.Epoch}.");
            }
        }
        else if (!Sequences.Follows(entry.LastSequence, firstSequence))
        {
            StorageThrow.Throw(ErrorCode.OutOfOrderSequenceNumber,
                $"Out of order sequence number for producer {producerId}: {firstSequence} (incoming), {entry.LastSequence} (current end sequence number).");
        }

        return false;
    }

    /// <summary>Records an appended (or replayed, or replicated) batch of a producer.</summary>
    public void Update(long producerId, short epoch, int lastSequence, long firstOffset, long lastOffset, long maxTimestamp)
    {
        if (!_producers.TryGetValue(producerId, out ProducerStateEntry? entry))
        {
            entry = new ProducerStateEntry(producerId, epoch, maxTimestamp);
            _producers.Add(producerId, entry);
        }
        else if (epoch < entry.Epoch)
        {
            // Replication and replay keep a lower epoch's batch in the log but never move the producer back (Kafka warns).
            return;
        }

        entry.AddBatch(epoch, new ProducerBatchMetadata(lastSequence, lastOffset, (int)(lastOffset - firstOffset), maxTimestamp));
    }

    public void UpdateMapEndOffset(long offset) => MapEndOffset = offset;

    /// <summary>Forgets producers idle for producer.id.expiration.ms (none has an open transaction: there are none yet).</summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        int removed = 0;
        foreach ((long producerId, ProducerStateEntry entry) in _producers)
        {
            if (IsExpired(entry, nowMs, expirationMs))
            {
                _producers.Remove(producerId);
                removed++;
            }
        }

        return removed;
    }

    public static bool IsExpired(ProducerStateEntry entry, long nowMs, long expirationMs) =>
        entry.CurrentTxnFirstOffset < 0 && nowMs - entry.LastTimestamp >= expirationMs;

    /// <summary>Drops every producer; the state now covers nothing below <paramref name="mapEndOffset"/>.</summary>
    public void Clear(long mapEndOffset)
    {
        _producers.Clear();
        MapEndOffset = mapEndOffset;
    }

    /// <summary>Installs producers read from a snapshot taken at <paramref name="snapshotOffset"/> (expired ones skipped).</summary>
    public void LoadSnapshot(IEnumerable<ProducerStateEntry> entries, long snapshotOffset, long nowMs, long expirationMs)
    {
        _producers.Clear();
        foreach (ProducerStateEntry entry in entries)
        {
            if (!IsExpired(entry, nowMs, expirationMs))
            {
                _producers[entry.ProducerId] = entry;
            }
        }

        MapEndOffset = snapshotOffset;
        LastSnapshotOffset = snapshotOffset;
    }
}
