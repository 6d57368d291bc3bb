using System.Buffers;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Fetch;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// Fetch (v0–17) for consumers, as Kafka's KafkaApis.handleFetchRequest and ReplicaManager.fetchMessages: resolve
/// the fetch session (KIP-227), read every partition up to the high watermark, answer at once when max_wait_ms is
/// 0, min_bytes are there, or a partition has an error; otherwise wait in the fetch purgatory until an append
/// satisfies min_bytes or max_wait_ms passes, then read again and answer.
/// </summary>
/// <remarks>
/// Follower fetches (replica_id ≥ 0) belong to replication, which is not here yet: every partition answers
/// NOT_LEADER_OR_FOLLOWER, what Kafka answers a broker that is not a replica of the partition. read_committed reads
/// up to the last stable offset, which equals the high watermark until transactions exist (no aborted
/// transactions are ever reported).
/// </remarks>
public sealed class FetchHandler : RequestHandler<FetchRequest>
{
    private const sbyte ReadCommitted = 1;

    private readonly ReplicaManager _replicas;
    private readonly LogReader _reader;
    private readonly FetchSessionCache _sessions;
    private readonly Func<BrokerConfig> _config;

    public FetchHandler(ReplicaManager replicas, FetchSessionCache sessions, Func<BrokerConfig> config)
    {
        _replicas = replicas;
        _reader = new LogReader(replicas);
        _sessions = sessions;
        _config = config;
    }

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        int replicaId = version >= 15 ? request.ReplicaState.ReplicaId : request.ReplicaId;
        if (replicaId >= 0)
        {
            return RejectFollower(request, version);
        }

        long now = _replicas.Time.GetUtcNow().ToUnixTimeMilliseconds();
        FetchContext fetch = FetchContext.Create(request, version, _sessions, now);
        if (fetch.Error != ErrorCode.None)
        {
            return new FetchResponse { ErrorCode = (short)fetch.Error, SessionId = 0 };
        }

        int maxBytes = version >= 3 ? Math.Min(request.MaxBytes, _config().FetchMaxBytes) : int.MaxValue;
        PartitionRead[] reads = _reader.ReadAll(fetch.Partitions, maxBytes, version);
        if (!CanAnswerNow(request, fetch, reads))
        {
            var delayed = new DelayedFetch(_reader, fetch.Partitions, request.MinBytes, maxBytes, version);
            if (!_replicas.FetchPurgatory.TryCompleteElseWatch(delayed, delayed.Keys, TimeSpan.FromMilliseconds(request.MaxWaitMs), cancellationToken))
            {
                await delayed.Completion.ConfigureAwait(false);
            }

            reads = _reader.ReadAll(fetch.Partitions, maxBytes, version);
        }

        return Build(fetch, reads, version, version >= 4 && request.IsolationLevel == ReadCommitted, now);
    }

    private static bool CanAnswerNow(FetchRequest request, FetchContext fetch, PartitionRead[] reads)
    {
        if (request.MaxWaitMs <= 0 || fetch.Partitions.Count == 0 || request.MinBytes <= 0)
        {
            return true;
        }

        long bytes = 0;
        foreach (PartitionRead read in reads)
        {
            if (read.Error != ErrorCode.None || read.HasDivergingEpoch)
            {
                return true;
            }

            bytes += read.Records.Length;
        }

        return bytes >= request.MinBytes;
    }

    private FetchResponseLease Build(FetchContext fetch, PartitionRead[] reads, short version, bool readCommitted, long now)
    {
        var response = new FetchResponse();
        var lease = new FetchResponseLease(response);
        FetchSession? session = fetch.Session;
        List<FetchPartitionState>? responded = session is null ? null : [];
        FetchResponse.FetchableTopicResponse? topic = null;
        using (session is null ? default : session.Lock.EnterScope())
        {
            for (int i = 0; i < fetch.Partitions.Count; i++)
            {
                FetchPartitionState state = fetch.Partitions[i];
                PartitionRead read = reads[i];
                if (session is not null && !MustRespond(state, read))
                {
                    continue;
                }

                state.LastHighWatermark = read.HighWatermark;
                state.LastStableOffset = read.LastStableOffset;
                state.LastLogStartOffset = read.LogStartOffset;
                responded?.Add(state);
                if (topic is null || topic.TopicId != state.Key.TopicId || topic.Topic != state.Key.Topic)
                {
                    topic = new FetchResponse.FetchableTopicResponse { Topic = state.Key.Topic, TopicId = state.Key.TopicId };
                    response.Responses.Add(topic);
                }

                topic.Partitions.Add(PartitionData(state, read, version, readCommitted, lease));
            }

            session?.MoveToBack(responded!);
        }

        if (session is not null)
        {
            response.SessionId = session.Id;
        }
        else if (fetch.OpensSession)
        {
            response.SessionId = _sessions.TryCreate(fetch.Partitions, now)?.Id ?? 0;
        }

        return lease;
    }

    /// <summary>KIP-227: an incremental response carries a partition only when it has something the client lacks.</summary>
    private static bool MustRespond(FetchPartitionState state, PartitionRead read) =>
        read.Records.Length > 0
        || read.Error != ErrorCode.None
        || read.HasDivergingEpoch
        || read.HighWatermark != state.LastHighWatermark
        || read.LogStartOffset != state.LastLogStartOffset
        || (read.LastStableOffset >= 0 && read.LastStableOffset != state.LastStableOffset);

    private static FetchResponse.PartitionData PartitionData(FetchPartitionState state, PartitionRead read, short version, bool readCommitted, FetchResponseLease lease)
    {
        var data = new FetchResponse.PartitionData
        {
            PartitionIndex = state.Key.Partition,
            ErrorCode = (short)read.Error,
            HighWatermark = read.HighWatermark,
            LastStableOffset = read.LastStableOffset,
            LogStartOffset = read.LogStartOffset,
            AbortedTransactions = readCommitted && read.Error == ErrorCode.None ? [] : null,
            Records = ReadOnlySequence<byte>.Empty,
        };
        if (read.HasDivergingEpoch)
        {
            data.DivergingEpoch = new FetchResponse.EpochEndOffset { Epoch = read.DivergingEpoch, EndOffset = read.DivergingEndOffset };
        }

        if (read.Records.IsEmpty)
        {
            return data;
        }

        try
        {
            data.Records = Materialize(read, version, lease);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            data.ErrorCode = (short)ErrorCode.KafkaStorageError;
        }
        catch (KafkaProtocolException)
        {
            data.ErrorCode = (short)ErrorCode.CorruptMessage; // down-conversion found a batch it cannot read
        }

        return data;
    }

    /// <summary>One copy from the segment file into a pooled array (v0–v3: then down-converted to legacy messages).</summary>
    private static ReadOnlySequence<byte> Materialize(PartitionRead read, short version, FetchResponseLease lease)
    {
        int length = read.Records.Length;
        byte[] array = lease.Rent(length);
        read.Records.CopyTo(array);
        if (version > 3)
        {
            return new ReadOnlySequence<byte>(array, 0, length);
        }

        var converted = new PooledBufferWriter(length);
        lease.Adopt(converted);
        DownConverter.Convert(array.AsSpan(0, length), version, converted);
        return new ReadOnlySequence<byte>(converted.WrittenMemory);
    }

    private static FetchResponse RejectFollower(FetchRequest request, short version)
    {
        var response = new FetchResponse();
        foreach (FetchRequest.FetchTopic topic in request.Topics)
        {
            var result = new FetchResponse.FetchableTopicResponse { Topic = version >= 13 ? "" : topic.Topic, TopicId = version >= 13 ? topic.TopicId : Guid.Empty };
            foreach (FetchRequest.FetchPartition partition in topic.Partitions)
            {
                result.Partitions.Add(new FetchResponse.PartitionData
                {
                    PartitionIndex = partition.Partition,
                    ErrorCode = (short)ErrorCode.NotLeaderOrFollower,
                    HighWatermark = -1,
                    Records = ReadOnlySequence<byte>.Empty,
                });
            }

            response.Responses.Add(result);
        }

        return response;
    }
}
