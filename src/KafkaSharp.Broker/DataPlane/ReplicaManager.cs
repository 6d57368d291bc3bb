using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Delayed;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Produce;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.DataPlane;

/// <summary>
/// What Produce, Fetch, ListOffsets, OffsetForLeaderEpoch and DeleteRecords share, as Kafka's ReplicaManager: the
/// leader look-up with the KIP-320 epoch check, the high watermark, and the purgatories that appends wake.
/// </summary>
/// <remarks>
/// The high watermark is the smallest log end offset across the ISR. This broker is the only replica there is for
/// now, so when the ISR is exactly {self} the high watermark is the log end offset and moves at append. When other
/// replicas join, follower fetches will move it instead and <see cref="OnHighWatermarkMayHaveMoved"/> is their hook.
/// </remarks>
public sealed class ReplicaManager
{
    private readonly int _brokerId;
    private readonly PartitionManager _partitions;
    private readonly TopicManager _topics;

    // TopicConfig.Create merges every setting: too much for each acks=-1 produce. Topic states and broker configs are
    // immutable and replaced on change, so the answer is cached per topic state and checked against the broker config.
    private readonly ConditionalWeakTable<TopicState, TopicProduceSettings> _produceSettings = new();
    private readonly Func<BrokerConfig> _config;

    public ReplicaManager(int brokerId, PartitionManager partitions, TopicManager topics, TimeProvider time, Func<BrokerConfig> config)
    {
        _config = config;
        _brokerId = brokerId;
        _partitions = partitions;
        _topics = topics;
        Time = time;
        FetchPurgatory = new DelayedOperationPurgatory<TopicPartition>(time);
        ProducePurgatory = new DelayedOperationPurgatory<TopicPartition>(time);
    }

    public int BrokerId => _brokerId;

    public TimeProvider Time { get; }

    /// <summary>Long-poll fetches, woken by appends (and log-start moves) on the partitions they read.</summary>
    public DelayedOperationPurgatory<TopicPartition> FetchPurgatory { get; }

    /// <summary>acks=-1 produces, woken when the high watermark moves.</summary>
    public DelayedOperationPurgatory<TopicPartition> ProducePurgatory { get; }

    /// <summary>The led partition by name, with the client's current leader epoch checked (-1: no check).</summary>
    public ErrorCode TryGetLeader(string topic, int partition, int currentLeaderEpoch, [NotNullWhen(true)] out HostedPartition? hosted) =>
        Checked(_partitions.TryGetLeader(topic, partition, out hosted), currentLeaderEpoch, ref hosted);

    /// <summary>The led partition by topic id (Fetch v13+): UNKNOWN_TOPIC_ID when the id is not known.</summary>
    public ErrorCode TryGetLeader(Guid topicId, int partition, int currentLeaderEpoch, [NotNullWhen(true)] out HostedPartition? hosted) =>
        Checked(_partitions.TryGetLeader(topicId, partition, out hosted), currentLeaderEpoch, ref hosted);

    private ErrorCode Checked(ErrorCode error, int currentLeaderEpoch, [NotNullWhen(true)] ref HostedPartition? hosted)
    {
        if (error != ErrorCode.None || hosted is null)
        {
            hosted = null;
            return error == ErrorCode.None ? ErrorCode.UnknownTopicOrPartition : error;
        }

        ErrorCode epochError = CheckLeaderEpoch(currentLeaderEpoch, hosted.State.LeaderEpoch);
        if (epochError != ErrorCode.None)
        {
            hosted = null;
            return epochError;
        }

        MaybeAdvanceHighWatermark(hosted);
        return ErrorCode.None;
    }

    /// <summary>
    /// KIP-320: a client that knows an older epoch is fenced (its metadata is stale); one that knows a newer epoch
    /// than ours is ahead of us (our metadata is stale), so it should retry. -1 means the client does not check.
    /// </summary>
    public static ErrorCode CheckLeaderEpoch(int requested, int current) =>
        requested < 0 || requested == current ? ErrorCode.None
        : requested < current ? ErrorCode.FencedLeaderEpoch
        : ErrorCode.UnknownLeaderEpoch;

    /// <summary>min.insync.replicas of the partition's topic (topic override, else the broker's).</summary>
    public int MinInsyncReplicas(HostedPartition hosted) => ProduceSettingsFor(hosted).MinInsyncReplicas;

    /// <summary>
    /// The topic settings every produce consults, computed once per topic state and broker config (both immutable
    /// snapshots, so a change of either yields fresh settings).
    /// </summary>
    public TopicProduceSettings ProduceSettingsFor(HostedPartition hosted)
    {
        BrokerConfig config = _config();
        if (_produceSettings.TryGetValue(hosted.Topic, out TopicProduceSettings? cached) && ReferenceEquals(cached.BrokerConfig, config))
        {
            return cached;
        }

        TopicProduceSettings settings = TopicProduceSettings.From(_topics.ConfigFor(hosted.Topic), config);
        _produceSettings.AddOrUpdate(hosted.Topic, settings);
        return settings;
    }

    /// <summary>The ISR as metadata has it; acks=-1 needs at least min.insync.replicas of it.</summary>
    public static int IsrSize(HostedPartition hosted) => hosted.State.Isr.Count;

    /// <summary>After an append: move the high watermark if it can move, then wake what waits on the partition.</summary>
    public void OnAppended(HostedPartition hosted)
    {
        MaybeAdvanceHighWatermark(hosted);
        OnHighWatermarkMayHaveMoved(hosted.TopicPartition);
    }

    /// <summary>Wakes fetches and acks=-1 produces waiting on the partition.</summary>
    public void OnHighWatermarkMayHaveMoved(TopicPartition partition)
    {
        ProducePurgatory.CheckAndComplete(partition);
        FetchPurgatory.CheckAndComplete(partition);
    }

    /// <summary>With the ISR exactly {self}, every appended offset is committed: HW = log end offset.</summary>
    private bool MaybeAdvanceHighWatermark(HostedPartition hosted)
    {
        PartitionLog log = hosted.Log;
        IReadOnlyList<int> isr = hosted.State.Isr;
        if (isr.Count != 1 || isr[0] != _brokerId || log.HighWatermark >= log.LogEndOffset)
        {
            return false;
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        return true;
    }
}
