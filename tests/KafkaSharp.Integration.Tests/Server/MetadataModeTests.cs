using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Integration.Tests.Server;

/// <summary>
/// The suite runs twice, once per metadata mode (KafkaSharp.Integration.ZooKeeperMode.Tests compiles it again for
/// ZooKeeper mode); this checks the server under test really keeps its topics where the run's mode says, so neither
/// run can quietly test the other mode.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class MetadataModeTests(ServerFixture server)
{
    private readonly ServerFixture _server = server;

    [Fact]
    public async Task ATopicCreatedThroughTheAdminClient_IsStoredWhereTheRunsMetadataModeSays()
    {
        string topic = Clients.NewTopicName("metadata-mode");
        using IAdminClient admin = Clients.Admin(_server.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]).WaitAsync(Clients.Timeout);
        List<DescribeConfigsResult> described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "0" }]).WaitAsync(Clients.Timeout);
        string? connect = described.Single().Entries["zookeeper.connect"].Value;
        string embeddedFile = Path.Combine(_server.Host.DataDir, LocalClusterMetadata.FileName);

        if (MetadataMode.ZooKeeper)
        {
            Assert.False(string.IsNullOrEmpty(connect), "zookeeper.connect is not set");
            Assert.False(File.Exists(embeddedFile), $"{embeddedFile} exists in ZooKeeper mode");
            // The server's own connect string, chroot included: its registration and the topic's assignment.
            await using ZooKeeperClient zk = await ZooKeeperClient.ConnectAsync(connect!).WaitAsync(Clients.Timeout);
            Assert.NotNull(await zk.ExistsAsync("/brokers/ids/0"));
            Assert.NotNull(await zk.ExistsAsync($"/brokers/topics/{topic}"));
        }
        else
        {
            Assert.True(string.IsNullOrEmpty(connect), $"zookeeper.connect is {connect}");
            Assert.Contains(topic, await File.ReadAllTextAsync(embeddedFile));
        }
    }
}
