using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.Broker.Tests.ControllerRequests;

/// <summary>
/// Controller-fed metadata for a broker under test: reads come from the cache the controller requests feed. There
/// is no store behind it (ZooKeeper in production), so admin changes fail; these tests change metadata only
/// through controller requests.
/// </summary>
internal sealed class ControllerFedTestMetadata : IControllerFedClusterMetadata
{
    public ControllerFedTestMetadata(BrokerNode self) =>
        ControllerFed = new ControllerFedMetadataCache(self, "controller-fed-test", NullLogger.Instance);

    public ControllerFedMetadataCache ControllerFed { get; }

    public ClusterImage Current => ControllerFed.Current;

    public event Action<ClusterImage, ClusterImage>? Changed
    {
        add => ControllerFed.Changed += value;
        remove => ControllerFed.Changed -= value;
    }

    public ValueTask<TopicState> CreateTopicAsync(string name, IReadOnlyList<IReadOnlyList<int>> assignment, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
        throw NoStore();

    public ValueTask DeleteTopicAsync(Guid topicId, CancellationToken cancellationToken = default) => throw NoStore();

    public ValueTask<TopicState> AddPartitionsAsync(Guid topicId, IReadOnlyList<IReadOnlyList<int>> newPartitions, CancellationToken cancellationToken = default) =>
        throw NoStore();

    public ValueTask<TopicState> SetTopicConfigsAsync(Guid topicId, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
        throw NoStore();

    public ValueTask SetBrokerConfigsAsync(int? brokerId, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
        throw NoStore();

    private static KafkaApiException NoStore() => new(ErrorCode.UnknownServerError, "This test metadata has no store behind it.");
}
