using System.Diagnostics;
using System.Text;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Server;
using KafkaSharp.ZooKeeper;
using KafkaSharp.ZooKeeper.Tests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>ZooKeeper unreachable or lost, and znodes that are not what Kafka writes.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task AServerWhoseZooKeeperIsUnreachableRetriesForTheConnectionTimeoutThenExitsWithOne()
    {
        int[] ports = FreePorts.Take(2);
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-zk-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var elapsed = Stopwatch.StartNew();
            int exitCode = await KafkaServer.RunAsync(
            [
                "--override", $"zookeeper.connect=127.0.0.1:{ports[0]}",
                "--override", "zookeeper.connection.timeout.ms=2000",
                "--override", $"listeners=PLAINTEXT://127.0.0.1:{ports[1]}",
                "--override", $"log.dirs={dataDir}",
                "--log-level", "WARN",
            ], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, exitCode);
            Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task MalformedZNodesAreLoggedOnceByPathAndSkippedWhileTheClusterKeepsWorking()
    {
        await using ZkCluster cluster = await ZkCluster.StartAsync(1);
        await using ZooKeeperClient zk = await cluster.ConnectZooKeeperAsync();
        string good = $"good-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster[1], good);
        await zk.CreateAsync("/brokers/topics/garbage", Encoding.UTF8.GetBytes("{not json"));
        await zk.CreateAsync("/config/brokers/not-a-broker", Encoding.UTF8.GetBytes("{}"));
        await zk.SetDataAsync($"/brokers/topics/{good}/partitions/0/state", Encoding.UTF8.GetBytes("""{"leader":"nobody"}"""));

        // The broker keeps answering: the good topic keeps its last known state, the garbage is not a topic.
        string later = $"later-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster[1], later);
        MetadataResponse metadata = await ZkCluster.MetadataAsync(cluster[1]);
        Assert.Contains(metadata.Topics, t => t.Name == good && t.Partitions.Single().LeaderId == 1);
        Assert.Contains(metadata.Topics, t => t.Name == later && t.ErrorCode == 0);
        Assert.DoesNotContain(metadata.Topics, t => t.Name == "garbage");

        // One clear line per bad znode, naming it, however many times the metadata is reloaded.
        var logger = new ListLogger();
        var options = new ZooKeeperClientOptions { ConnectString = cluster.ConnectString, SessionTimeout = TimeSpan.FromSeconds(4) };
        await using ZkSession session = await ZkSession.ConnectAsync(options, logger, CancellationToken.None);
        await using ZooKeeperClusterMetadata reader = await ZooKeeperClusterMetadata.OpenAsync(session, "test", 99, logger, CancellationToken.None);
        await reader.WaitForAsync(i => i.TryGetTopic(later, out _), "the later topic", CancellationToken.None);
        reader.RequestReload();
        await zk.SetDataAsync($"/config/topics/{later}", ConfigZNode.Encode(new Dictionary<string, string> { ["retention.ms"] = "1000" }));
        await reader.WaitForAsync(i => i.TryGetTopic(later, out TopicState? t) && t.Configs.ContainsKey("retention.ms"), "the config change", CancellationToken.None);

        string[] errors = [.. logger.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message)];
        Assert.Single(errors, e => e.Contains("/brokers/topics/garbage", StringComparison.Ordinal));
        Assert.Single(errors, e => e.Contains("/config/brokers/not-a-broker", StringComparison.Ordinal));
        Assert.Single(errors, e => e.Contains($"/brokers/topics/{good}/partitions/0/state", StringComparison.Ordinal));
        Assert.False(reader.Current.TryGetTopic("garbage", out _));
    }

    [Fact]
    public async Task ABrokerKeepsServingWhileZooKeeperIsGoneAndRegistersAgainAfterItsSessionExpired()
    {
        // The broker reaches ZooKeeper through a proxy that can cut it off while ZooKeeper itself keeps running, so
        // the session expires on ZooKeeper's own clock. (Freezing the ZooKeeper process instead raced on resume: the
        // broker's reconnect could renew the session before ZooKeeper got round to expiring it.)
        await using ZkCluster cluster = await ZkCluster.StartAsync(0);
        await using var proxy = new BlackholeProxy(cluster.ZooKeeper.ClientPort);
        await cluster.AddBrokerAsync(1, proxy.ConnectString);
        RdKafka.EnsureLoaded();
        string topic = $"through-outage-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster[1], topic);
        await using ZooKeeperClient zk = await cluster.ConnectZooKeeperAsync();
        await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync("/brokers/ids/1") is not null, "broker 1 to register");
        long firstEpoch = (await zk.ExistsAsync("/brokers/ids/1"))!.Czxid;

        proxy.Blackhole();
        await ClusterClients.ProduceAsync(cluster.BootstrapOf(1), topic, 0, "during-outage");
        await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync("/brokers/ids/1") is null, "broker 1's session to expire");
        await ClusterClients.ProduceAsync(cluster.BootstrapOf(1), topic, 0, "after-expiry");
        proxy.Restore();

        await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync("/brokers/ids/1") is { } stat && stat.Czxid != firstEpoch,
            "broker 1 to register again with a new session");
        await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync("/controller") is not null, "a controller again");
        await ClusterClients.ProduceAsync(cluster.BootstrapOf(1), topic, 0, "after-outage");
        Assert.Equal(["during-outage", "after-expiry", "after-outage"], ClusterClients.Consume(cluster.BootstrapOf(1), topic, [0], 3));
    }

    private static async Task CreateTopicAsync(ServerHost broker, string topic)
    {
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        create.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = 1, ReplicationFactor = 1 });
        CreateTopicsResponse response = await ZkCluster.RequestAsync<CreateTopicsResponse>(broker, create, 7);
        Assert.Equal(0, Assert.Single(response.Topics).ErrorCode);
    }
}
