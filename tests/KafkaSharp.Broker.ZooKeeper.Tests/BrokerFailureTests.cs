using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>Brokers leaving and returning: offline partitions, leaders coming back, a full cluster restart.</summary>
public sealed class BrokerFailureTests : ThreeBrokerClusterTest
{
    [Fact]
    public async Task PartitionsOfAStoppedBrokerGoOfflineAndComeBackWithItsData()
    {
        string topic = $"offline-{Guid.NewGuid():N}";
        using (IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapOf(1) }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 3, ReplicationFactor = 1 }]);
        }

        MetadataResponse before = await ZkCluster.MetadataAsync(Cluster[1], topic);
        MetadataResponse.MetadataResponsePartition victimPartition = before.Topics[0].Partitions.First(p => p.LeaderId != 1);
        int victim = victimPartition.LeaderId;
        int p = victimPartition.PartitionIndex;
        await ClusterClients.ProduceAsync(Cluster.BootstrapOf(1), topic, p, "before-stop");

        await Cluster[victim].StopAsync();

        int witness = Cluster.Brokers.Keys.First(id => id != victim);
        // The witness learns both (the broker list and the partition state) asynchronously, not necessarily together.
        await ZkCluster.WaitUntilAsync(async () =>
        {
            MetadataResponse metadata = await ZkCluster.MetadataAsync(Cluster[witness], topic);
            return ClusterClients.Partition(metadata, topic, p).LeaderId == -1 && metadata.Brokers.All(b => b.NodeId != victim);
        }, "the partition to go offline and its leader to leave the witness's broker list");
        MetadataResponse offline = await ZkCluster.MetadataAsync(Cluster[witness], topic);
        Assert.DoesNotContain(offline.Brokers, b => b.NodeId == victim);
        Assert.Contains(victim, ClusterClients.Partition(offline, topic, p).OfflineReplicas);
        // The other partitions keep their leaders.
        Assert.All(offline.Topics[0].Partitions.Where(x => x.PartitionIndex != p), x => Assert.NotEqual(-1, x.LeaderId));

        await Cluster[victim].RestartAsync();

        await ZkCluster.WaitUntilAsync(async () =>
            ClusterClients.Partition(await ZkCluster.MetadataAsync(Cluster[witness], topic), topic, p).LeaderId == victim,
            "the returning broker to lead again");
        await ClusterClients.ProduceAsync(Cluster.BootstrapOf(witness), topic, p, "after-return");
        Assert.Equal(["before-stop", "after-return"], ClusterClients.Consume(Cluster.BootstrapOf(witness), topic, [p], 2));
    }

    [Fact]
    public async Task AFullClusterRestartKeepsTopicsConfigsAndMessages()
    {
        string topic = $"restart-{Guid.NewGuid():N}";
        using (IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapOf(2) }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = topic,
                NumPartitions = 3,
                ReplicationFactor = 2,
                Configs = new Dictionary<string, string> { ["retention.ms"] = "7200000" },
            }]);
        }

        for (int p = 0; p < 3; p++)
        {
            await ClusterClients.ProduceAsync(Cluster.BootstrapOf(1), topic, p, $"m{p}a", $"m{p}b");
        }

        foreach (ServerHost broker in Cluster.Brokers.Values)
        {
            await broker.StopAsync();
        }

        foreach (ServerHost broker in Cluster.Brokers.Values)
        {
            await broker.RestartAsync();
        }

        await Cluster.WaitUntilEveryBrokerSeesAllAsync();

        await ZkCluster.WaitUntilAsync(async () =>
        {
            MetadataResponse metadata = await ZkCluster.MetadataAsync(Cluster[3], topic);
            return metadata.Brokers.Count == 3 && metadata.Topics.Single().Partitions.All(x => x.LeaderId != -1);
        }, "every partition to have a leader again");

        using (IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapOf(3) }).Build())
        {
            List<DescribeConfigsResult> configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
            ConfigEntryResult retention = configs.Single().Entries["retention.ms"];
            Assert.Equal("7200000", retention.Value);
            Assert.Equal(ConfigSource.DynamicTopicConfig, retention.Source);
        }

        List<string> values = ClusterClients.Consume(Cluster.BootstrapOf(3), topic, [0, 1, 2], 6);
        Assert.Equal(["m0a", "m0b", "m1a", "m1b", "m2a", "m2b"], values.Order());
    }
}
