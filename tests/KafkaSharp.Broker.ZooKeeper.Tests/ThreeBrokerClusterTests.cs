using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>Three KafkaSharp brokers in one cluster through ZooKeeper, driven by Confluent.Kafka and raw requests.</summary>
public sealed class ThreeBrokerClusterTests : ThreeBrokerClusterTest
{
    [Fact]
    public async Task TopicCreatedThroughOneBrokerIsProducedToThroughAnothersMetadata()
    {
        string topic = $"spread-{Guid.NewGuid():N}";
        using (IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapOf(1) }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 6, ReplicationFactor = 3 }]);
        }

        // Broker 2 (never told about the topic by a client) learns of it through ZooKeeper a moment after broker 1
        // answered; then it shows the whole cluster and the topic's leaders.
        MetadataResponse metadata = null!;
        await ZkCluster.WaitUntilAsync(async () =>
        {
            metadata = await ZkCluster.MetadataAsync(Cluster[2], topic);
            return metadata.ControllerId != -1 && metadata.Topics is [{ ErrorCode: 0 } t] && t.Partitions.Count == 6 && t.Partitions.All(p => p.LeaderId != -1);
        }, $"broker 2 to see the leaders of {topic}");
        Assert.Equal([1, 2, 3], metadata.Brokers.Select(b => b.NodeId).Order());
        Assert.Contains(metadata.ControllerId, new[] { 1, 2, 3 });
        MetadataResponse.MetadataResponseTopic described = Assert.Single(metadata.Topics);
        Assert.Equal(0, described.ErrorCode);
        Assert.Equal(6, described.Partitions.Count);
        foreach (MetadataResponse.MetadataResponsePartition partition in described.Partitions)
        {
            Assert.Equal(3, partition.ReplicaNodes.Count);
            Assert.Equal(partition.ReplicaNodes[0], partition.LeaderId);
            Assert.Equal([partition.LeaderId], partition.IsrNodes); // followers hold no data until replication exists
        }

        // Leaders are spread over all three brokers, as Kafka's assignment does.
        Assert.Equal(3, described.Partitions.Select(p => p.LeaderId).Distinct().Count());

        // A producer that only knows broker 2 reaches every leader; a consumer that only knows broker 3 reads it all.
        var config = new ProducerConfig { BootstrapServers = Cluster.BootstrapOf(2), Acks = Acks.Leader, LingerMs = 0 };
        using (IProducer<string, string> producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (int p = 0; p < 6; p++)
            {
                DeliveryResult<string, string> result = await producer.ProduceAsync(new TopicPartition(topic, p), new Message<string, string> { Key = $"k{p}", Value = $"v{p}" });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapOf(3),
            GroupId = "unused",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using IConsumer<string, string> consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Assign(Enumerable.Range(0, 6).Select(p => new TopicPartitionOffset(topic, p, 0)));
        var values = new HashSet<string>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < 6 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } record)
            {
                values.Add(record.Message.Value);
            }
        }

        Assert.Equal(Enumerable.Range(0, 6).Select(p => $"v{p}").ToHashSet(), values);
    }

    [Fact]
    public async Task AnotherBrokerBecomesControllerWithAHigherEpochWhenTheControllerStops()
    {
        await using ZooKeeperClient zk = await Cluster.ConnectZooKeeperAsync();
        int controller = ControllerZNode.Decode((await zk.GetDataAsync(ZkPaths.Controller)).Data);
        int epoch = ControllerEpochZNode.Decode((await zk.GetDataAsync(ZkPaths.ControllerEpoch)).Data);

        await Cluster[controller].StopAsync();

        int survivor = Cluster.Brokers.Keys.First(id => id != controller);
        await ZkCluster.WaitUntilAsync(async () =>
        {
            MetadataResponse metadata = await ZkCluster.MetadataAsync(Cluster[survivor]);
            return metadata.ControllerId is not -1 && metadata.ControllerId != controller;
        }, "a new controller", TimeSpan.FromMilliseconds(ZkCluster.SessionTimeoutMs) + TimeSpan.FromSeconds(10));

        int newEpoch = ControllerEpochZNode.Decode((await zk.GetDataAsync(ZkPaths.ControllerEpoch)).Data);
        int newController = ControllerZNode.Decode((await zk.GetDataAsync(ZkPaths.Controller)).Data);
        Assert.NotEqual(controller, newController);
        Assert.True(newEpoch > epoch, $"epoch {newEpoch} after {epoch}");

        // The new controller does its job: a topic created now gets partition states.
        string topic = $"after-failover-{Guid.NewGuid():N}";
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        create.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = 2, ReplicationFactor = 2 });
        CreateTopicsResponse created = await ZkCluster.RequestAsync<CreateTopicsResponse>(Cluster[survivor], create, 7);
        Assert.Equal(0, Assert.Single(created.Topics).ErrorCode);
        LeaderAndIsr state = PartitionStateZNode.Decode(topic, 0, (await zk.GetDataAsync(ZkPaths.PartitionState(topic, 0))).Data, 0);
        Assert.Equal(newEpoch, state.ControllerEpoch);
    }
}
