using System.Security.Cryptography;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// The broker's fetch sessions (KIP-227), at most max.incremental.fetch.session.cache.slots of them (0 turns
/// sessions off: every fetch is answered with session id 0 and clients fall back to full fetches). When full, a new
/// session may evict, as Kafka's FetchSessionCache does: first a session idle for longer than the eviction time
/// (two minutes), else the smallest session, if it is smaller than the new one — so a large consumer's session is
/// not lost to a stream of small ones.
/// </summary>
public sealed class FetchSessionCache
{
    /// <summary>Kafka's MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS.</summary>
    public const long EvictionMs = 120_000;

    private readonly Dictionary<int, FetchSession> _sessions = [];
    private readonly Lock _lock = new();
    private readonly int _maxSlots;

    public FetchSessionCache(int maxSlots) => _maxSlots = Math.Max(0, maxSlots);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public long Evictions { get; private set; }

    public FetchSession? Get(int id, long nowMs)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(id, out FetchSession? session))
            {
                session.LastUsedMs = nowMs;
                return session;
            }

            return null;
        }
    }

    public bool Remove(int id)
    {
        lock (_lock)
        {
            return _sessions.Remove(id);
        }
    }

    /// <summary>A new session over <paramref name="partitions"/>, or null when there is no slot for it.</summary>
    public FetchSession? TryCreate(IReadOnlyList<FetchPartitionState> partitions, long nowMs)
    {
        lock (_lock)
        {
            if (_maxSlots == 0 || (_sessions.Count >= _maxSlots && !TryEvict(partitions.Count, nowMs)))
            {
                return null;
            }

            int id;
            do
            {
                id = RandomNumberGenerator.GetInt32(1, int.MaxValue);
            }
            while (_sessions.ContainsKey(id));

            var session = new FetchSession(id, partitions, nowMs);
            _sessions.Add(id, session);
            return session;
        }
    }

    private bool TryEvict(int newSize, long nowMs)
    {
        FetchSession? stale = null;
        FetchSession? smallest = null;
        foreach (FetchSession session in _sessions.Values)
        {
            if (nowMs - session.LastUsedMs >= EvictionMs && (stale is null || session.LastUsedMs < stale.LastUsedMs))
            {
                stale = session;
            }

            if (smallest is null || session.Count < smallest.Count || (session.Count == smallest.Count && session.LastUsedMs < smallest.LastUsedMs))
            {
                smallest = session;
            }
        }

        FetchSession? victim = stale ?? (smallest is not null && smallest.Count < newSize ? smallest : null);
        if (victim is null)
        {
            return false;
        }

        _sessions.Remove(victim.Id);
        Evictions++;
        return true;
    }
}
