using System.Collections.Concurrent;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// The <c>__consumer_offsets</c> partitions this broker coordinates, and whether each is still being replayed.
/// A load carries an epoch so a load that finishes after its partition was given up (or re-taken) is discarded.
/// </summary>
internal sealed class OffsetsPartitions
{
    private readonly ConcurrentDictionary<int, (State State, long Epoch)> _partitions = new();
    private long _nextEpoch;

    public enum State
    {
        NotOwned,
        Loading,
        Loaded,
    }

    public State StateOf(int partition) => _partitions.TryGetValue(partition, out var entry) ? entry.State : State.NotOwned;

    public bool AnyLoading => _partitions.Values.Any(p => p.State == State.Loading);

    public IReadOnlyList<int> All => [.. _partitions.Keys];

    /// <summary>Marks the partition as loading; returns the epoch of this load, or -1 when it is already owned.</summary>
    public long BeginLoad(int partition)
    {
        long epoch = Interlocked.Increment(ref _nextEpoch);
        return _partitions.TryAdd(partition, (State.Loading, epoch)) ? epoch : -1;
    }

    /// <summary>Marks a load finished, unless the partition was given up or re-taken meanwhile.</summary>
    public bool CompleteLoad(int partition, long epoch) =>
        _partitions.TryUpdate(partition, (State.Loaded, epoch), (State.Loading, epoch));

    public bool IsCurrentLoad(int partition, long epoch) =>
        _partitions.TryGetValue(partition, out var entry) && entry.Epoch == epoch;

    public bool Remove(int partition) => _partitions.TryRemove(partition, out _);
}
