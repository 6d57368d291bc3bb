namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// One partition of a fetch: what the client asked (offset, byte limit, epochs) and, inside a fetch session, what
/// the last response told it (high watermark, last stable offset, log start), which decides whether an incremental
/// response must include it again (KIP-227).
/// </summary>
public sealed class FetchPartitionState
{
    public FetchPartitionState(FetchKey key) => Key = key;

    public FetchKey Key { get; }

    public long FetchOffset { get; set; }

    public int MaxBytes { get; set; }

    public int CurrentLeaderEpoch { get; set; } = -1;

    public int LastFetchedEpoch { get; set; } = -1;

    /// <summary>Resolved topic name (from the id for v13+); empty when the id is unknown.</summary>
    public string TopicName { get; set; } = "";

    public long LastHighWatermark { get; set; } = -1;

    public long LastStableOffset { get; set; } = -1;

    public long LastLogStartOffset { get; set; } = -1;

    public void Update(long fetchOffset, int maxBytes, int currentLeaderEpoch, int lastFetchedEpoch)
    {
        FetchOffset = fetchOffset;
        MaxBytes = maxBytes;
        CurrentLeaderEpoch = currentLeaderEpoch;
        LastFetchedEpoch = lastFetchedEpoch;
    }
}
