using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Checkpoints;

namespace KafkaSharp.Broker.Tests.Cluster;

public sealed class LocalClusterMetadataTests
{
    [Fact]
    public async Task Open_RestoresTopicsIdsConfigsAndClusterId_WhenTheBrokerRestartsOnTheSameDataDir()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string clusterId;
            Guid topicId;
            await using (TestBroker first = TestBroker.Start(dataDir: dataDir))
            {
                TopicCreationResult created = await first.Broker.Topics.CreateTopicAsync(
                    new TopicCreation("kept", 2, Configs: new Dictionary<string, string?> { ["cleanup.policy"] = "compact" }), validateOnly: false);
                await first.Broker.Topics.CreateTopicAsync(new TopicCreation("dropped"), validateOnly: false);
                await first.Broker.Topics.DeleteTopicAsync(first.Broker.Metadata.Current.TopicsByName["dropped"]);
                await first.Broker.Topics.CreatePartitionsAsync("kept", 3, null, validateOnly: false);
                clusterId = first.Broker.Metadata.Current.ClusterId;
                topicId = created.Topic!.TopicId;
            }

            await using TestBroker second = TestBroker.Start(dataDir: dataDir);
            ClusterImage image = second.Broker.Metadata.Current;
            Assert.Equal(clusterId, image.ClusterId);
            TopicState topic = Assert.Single(image.TopicsByName.Values);
            Assert.Equal(("kept", topicId, 3), (topic.Name, topic.TopicId, topic.Partitions.Count));
            Assert.Equal("compact", topic.Configs["cleanup.policy"]);
            PartitionLog_HasCompactConfig(second, new TopicPartition("kept", 2));
            Assert.Equal(clusterId, MetaProperties.Read(dataDir)!.ClusterId);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public void Open_GeneratesAKafkaStyleClusterIdOnce_WhenTheDataDirIsNew()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var self = new BrokerNode(3, null, []);
            using LocalClusterMetadata first = LocalClusterMetadata.Open([dataDir], self);
            using LocalClusterMetadata second = LocalClusterMetadata.Open([dataDir], self);

            Assert.Equal(22, first.Current.ClusterId.Length);
            Assert.DoesNotContain('=', first.Current.ClusterId);
            Assert.False(first.Current.ClusterId.StartsWith('-'));
            Assert.Equal(first.Current.ClusterId, second.Current.ClusterId);
            Assert.Equal(3, MetaProperties.Read(dataDir)!.BrokerId);
            Assert.Throws<InvalidOperationException>(() => LocalClusterMetadata.Open([dataDir], self with { Id = 4 }));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task CreateTopicAsync_RaisesChangedAfterPublishing_WhenATopicIsAdded()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using LocalClusterMetadata metadata = LocalClusterMetadata.Open([dataDir], new BrokerNode(0, null, []));
            var seen = new List<(int Before, int After, int Current)>();
            metadata.Changed += (before, after) => seen.Add((before.TopicsByName.Count, after.TopicsByName.Count, metadata.Current.TopicsByName.Count));

            TopicState topic = await metadata.CreateTopicAsync("t", [[0], [0, 1]], new Dictionary<string, string>());

            Assert.Equal([(0, 1, 1)], seen);
            Assert.Equal([1], topic.Partitions[1].OfflineReplicas);
            Assert.Equal(0, topic.Partitions[1].Leader);
            await Assert.ThrowsAsync<KafkaApiException>(async () => await metadata.CreateTopicAsync("t", [[0]], new Dictionary<string, string>()));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static void PartitionLog_HasCompactConfig(TestBroker broker, TopicPartition partition) =>
        Assert.True(broker.Broker.Logs.GetLog(partition)!.Config.IsCompacted);
}
