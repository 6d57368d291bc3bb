using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// How one fetch request relates to fetch sessions (KIP-227), as Kafka's FetchManager.newContext decides it:
/// <list type="bullet">
/// <item>before v7, or session 0 with epoch -1: sessionless, the request's partitions, response session id 0;</item>
/// <item>epoch -1 with a session id: that session is closed, then as sessionless;</item>
/// <item>epoch 0: a full fetch that opens a new session (closing the named one) if the cache has a slot;</item>
/// <item>epoch &gt; 0: an incremental fetch of that session: FETCH_SESSION_ID_NOT_FOUND when it is not cached,
/// INVALID_FETCH_SESSION_EPOCH when the epoch is not the expected one; otherwise the request's partitions update
/// the session, forgotten ones leave it, and the response carries only partitions with something new.</item>
/// </list>
/// </summary>
public sealed class FetchContext
{
    private const int FinalEpoch = -1;
    private const int InitialEpoch = 0;

    private FetchContext(ErrorCode error, List<FetchPartitionState> partitions, FetchSession? session, bool openSession)
    {
        Error = error;
        Partitions = partitions;
        Session = session;
        OpensSession = openSession;
    }

    /// <summary>A session error (top-level error code, no partitions), else NONE.</summary>
    public ErrorCode Error { get; }

    /// <summary>The partitions to read, in response order.</summary>
    public List<FetchPartitionState> Partitions { get; }

    /// <summary>The session of an incremental fetch; null for full and sessionless fetches.</summary>
    public FetchSession? Session { get; }

    public bool IsIncremental => Session is not null;

    /// <summary>A full fetch at epoch 0 that should get a new session once answered.</summary>
    public bool OpensSession { get; }

    public static FetchContext Create(FetchRequest request, short version, FetchSessionCache cache, long nowMs)
    {
        int sessionId = version >= 7 ? request.SessionId : 0;
        int epoch = version >= 7 ? request.SessionEpoch : FinalEpoch;
        if (epoch is FinalEpoch or InitialEpoch)
        {
            if (sessionId != 0)
            {
                cache.Remove(sessionId);
            }

            return new FetchContext(ErrorCode.None, FromRequest(request, version), null, openSession: epoch == InitialEpoch);
        }

        FetchSession? session = sessionId == 0 ? null : cache.Get(sessionId, nowMs);
        if (session is null)
        {
            return new FetchContext(ErrorCode.FetchSessionIdNotFound, [], null, openSession: false);
        }

        lock (session.Lock)
        {
            if (session.Epoch != epoch)
            {
                return new FetchContext(ErrorCode.InvalidFetchSessionEpoch, [], null, openSession: false);
            }

            foreach (FetchRequest.FetchTopic topic in request.Topics)
            {
                foreach (FetchRequest.FetchPartition partition in topic.Partitions)
                {
                    session.GetOrAdd(Key(topic.TopicId, topic.Topic, partition.Partition, version))
                        .Update(partition.FetchOffset, partition.PartitionMaxBytes, partition.CurrentLeaderEpoch, partition.LastFetchedEpoch);
                }
            }

            foreach (FetchRequest.ForgottenTopic forgotten in request.ForgottenTopicsData)
            {
                foreach (int partition in forgotten.Partitions)
                {
                    session.Remove(Key(forgotten.TopicId, forgotten.Topic, partition, version));
                }
            }

            session.AdvanceEpoch();
            return new FetchContext(ErrorCode.None, [.. session.Partitions], session, openSession: false);
        }
    }

    private static List<FetchPartitionState> FromRequest(FetchRequest request, short version)
    {
        var partitions = new List<FetchPartitionState>();
        var seen = new HashSet<FetchKey>();
        foreach (FetchRequest.FetchTopic topic in request.Topics)
        {
            foreach (FetchRequest.FetchPartition partition in topic.Partitions)
            {
                FetchKey key = Key(topic.TopicId, topic.Topic, partition.Partition, version);
                if (seen.Add(key))
                {
                    var state = new FetchPartitionState(key);
                    state.Update(partition.FetchOffset, partition.PartitionMaxBytes, partition.CurrentLeaderEpoch, partition.LastFetchedEpoch);
                    partitions.Add(state);
                }
            }
        }

        return partitions;
    }

    private static FetchKey Key(Guid topicId, string topic, int partition, short version) =>
        version >= 13 ? new FetchKey(topicId, "", partition) : new FetchKey(Guid.Empty, topic, partition);
}
