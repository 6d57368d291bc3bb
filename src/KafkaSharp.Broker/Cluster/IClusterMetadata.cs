namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// The broker's view of cluster metadata and the way to change it. The embedded implementation
/// (<see cref="LocalClusterMetadata"/>) keeps it in the data dir; a ZooKeeper-backed one lives in its own project.
/// Mutations validate nothing Kafka-level (names, counts, configs: that is <c>TopicManager</c>'s job); they persist,
/// publish a new <see cref="Current"/> image and then raise <see cref="Changed"/>.
/// Errors are <see cref="KafkaApiException"/>s (TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_ID, ...).
/// </summary>
public interface IClusterMetadata
{
    ClusterImage Current { get; }

    /// <summary>Raised after every change, in order, with the image before and after. Handlers must be quick.</summary>
    event Action<ClusterImage, ClusterImage>? Changed;

    /// <summary>Creates a topic with the given replica assignment (one list per partition, first replica leads).</summary>
    ValueTask<TopicState> CreateTopicAsync(
        string name,
        IReadOnlyList<IReadOnlyList<int>> assignment,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default);

    ValueTask DeleteTopicAsync(Guid topicId, CancellationToken cancellationToken = default);

    /// <summary>Appends partitions to a topic with the given assignments.</summary>
    ValueTask<TopicState> AddPartitionsAsync(
        Guid topicId,
        IReadOnlyList<IReadOnlyList<int>> newPartitions,
        CancellationToken cancellationToken = default);

    /// <summary>Replaces the topic's config overrides.</summary>
    ValueTask<TopicState> SetTopicConfigsAsync(
        Guid topicId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the dynamic configs of broker <paramref name="brokerId"/>, or the cluster-wide defaults when it is
    /// null (an empty set removes them all).
    /// </summary>
    ValueTask SetBrokerConfigsAsync(
        int? brokerId,
        IReadOnlyDictionary<string, string> configs,
        CancellationToken cancellationToken = default);
}
