namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// A KIP-227 incremental fetch session: the partitions the client fetches, in the order responses visit them, and
/// the epoch its next request must carry. Partitions that returned data move to the back, so under a tight
/// max_bytes every partition gets its turn.
/// </summary>
public sealed class FetchSession
{
    private readonly List<FetchPartitionState> _order = [];
    private readonly Dictionary<FetchKey, FetchPartitionState> _byKey = [];

    public FetchSession(int id, IEnumerable<FetchPartitionState> partitions, long nowMs)
    {
        Id = id;
        Epoch = 1;
        LastUsedMs = nowMs;
        foreach (FetchPartitionState partition in partitions)
        {
            if (_byKey.TryAdd(partition.Key, partition))
            {
                _order.Add(partition);
            }
        }
    }

    public int Id { get; }

    /// <summary>The epoch the client's next incremental request must carry.</summary>
    public int Epoch { get; private set; }

    public long LastUsedMs { get; set; }

    /// <summary>Guards the partitions while one request of the session updates them.</summary>
    public Lock Lock { get; } = new();

    public int Count => _order.Count;

    public IReadOnlyList<FetchPartitionState> Partitions => _order;

    /// <summary>Epochs run 1, 2, … and wrap to 1 (0 and -1 are the full-fetch markers).</summary>
    public void AdvanceEpoch() => Epoch = Epoch == int.MaxValue ? 1 : Epoch + 1;

    public FetchPartitionState GetOrAdd(FetchKey key)
    {
        if (!_byKey.TryGetValue(key, out FetchPartitionState? state))
        {
            state = new FetchPartitionState(key);
            _byKey.Add(key, state);
            _order.Add(state);
        }

        return state;
    }

    public void Remove(FetchKey key)
    {
        if (_byKey.Remove(key, out FetchPartitionState? state))
        {
            _order.Remove(state);
        }
    }

    /// <summary>Moves partitions that were in the last response to the back, keeping their relative order.</summary>
    public void MoveToBack(IReadOnlyCollection<FetchPartitionState> responded)
    {
        if (responded.Count == 0 || responded.Count == _order.Count)
        {
            return;
        }

        var set = new HashSet<FetchPartitionState>(responded);
        _order.RemoveAll(set.Contains);
        _order.AddRange(responded);
    }
}
