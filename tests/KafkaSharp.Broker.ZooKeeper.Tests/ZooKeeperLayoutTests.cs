using System.Text;
using System.Text.Json;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>Every znode a cluster writes, read back raw: Kafka's paths and JSON shapes (zookeeper-layout.md).</summary>
public sealed class ZooKeeperLayoutTests : IAsyncLifetime
{
    private ZkCluster? _cluster;

    private ZkCluster Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await ZkCluster.StartAsync(2);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClusterBrokerAndControllerZNodesHaveKafkasShapes()
    {
        await using ZooKeeperClient zk = await Cluster.ConnectZooKeeperAsync();

        JsonElement clusterId = JsonShape.Object((await zk.GetDataAsync("/cluster/id")).Data, "version", "id");
        Assert.Equal("1", clusterId.GetProperty("version").GetString());
        Assert.Equal(22, clusterId.GetProperty("id").GetString()!.Length);

        ZNodeData broker = await zk.GetDataAsync("/brokers/ids/1");
        Assert.NotEqual(0, broker.Stat.EphemeralOwner);
        JsonElement registration = JsonShape.Object(broker.Data,
            "features", "listener_security_protocol_map", "endpoints", "jmx_port", "host", "timestamp", "port", "version");
        Assert.Equal(5, registration.GetProperty("version").GetInt32());
        Assert.Equal($"PLAINTEXT://127.0.0.1:{Cluster[1].Port}", Assert.Single(registration.GetProperty("endpoints").EnumerateArray()).GetString());
        Assert.Equal("PLAINTEXT", registration.GetProperty("listener_security_protocol_map").GetProperty("PLAINTEXT").GetString());
        Assert.Equal("127.0.0.1", registration.GetProperty("host").GetString());
        Assert.Equal(Cluster[1].Port, registration.GetProperty("port").GetInt32());
        Assert.Equal(-1, registration.GetProperty("jmx_port").GetInt32());
        Assert.True(long.TryParse(registration.GetProperty("timestamp").GetString(), out _));

        ZNodeData controller = await zk.GetDataAsync("/controller");
        Assert.NotEqual(0, controller.Stat.EphemeralOwner);
        JsonElement controllerJson = JsonShape.Object(controller.Data, "version", "brokerid", "timestamp", "kraftControllerEpoch");
        Assert.Equal(2, controllerJson.GetProperty("version").GetInt32());
        Assert.Contains(controllerJson.GetProperty("brokerid").GetInt32(), new[] { 1, 2 });
        Assert.Equal("1", Encoding.UTF8.GetString((await zk.GetDataAsync("/controller_epoch")).Data));

        JsonElement feature = JsonShape.Object((await zk.GetDataAsync("/feature")).Data, "version", "status", "features");
        Assert.Equal(1, feature.GetProperty("status").GetInt32());
        foreach (string path in new[] { "/brokers/seqid", "/brokers/topics", "/config/topics", "/config/brokers", "/config/changes", "/admin/delete_topics", "/isr_change_notification", "/log_dir_event_notification", "/latest_producer_id_block", "/consumers" })
        {
            Assert.NotNull(await zk.ExistsAsync(path));
        }
    }

    [Fact]
    public async Task TopicsConfigsAndDeletionUseKafkasZNodes()
    {
        string topic = $"layout-{Guid.NewGuid():N}";
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        var creatable = new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = 2, ReplicationFactor = 2 };
        creatable.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = "cleanup.policy", Value = "compact" });
        create.Topics.Add(creatable);
        CreateTopicsResponse created = await ZkCluster.RequestAsync<CreateTopicsResponse>(Cluster[1], create, 7);
        Assert.Equal(0, Assert.Single(created.Topics).ErrorCode);

        await using ZooKeeperClient zk = await Cluster.ConnectZooKeeperAsync();
        JsonElement assignment = JsonShape.Object((await zk.GetDataAsync($"/brokers/topics/{topic}")).Data,
            "partitions", "topic_id", "adding_replicas", "removing_replicas", "version");
        Assert.Equal(3, assignment.GetProperty("version").GetInt32());
        Assert.Equal(["0", "1"], assignment.GetProperty("partitions").EnumerateObject().Select(p => p.Name));
        Assert.All(assignment.GetProperty("partitions").EnumerateObject(), p => Assert.Equal(2, p.Value.GetArrayLength()));
        Assert.Equal(created.Topics[0].TopicId, KafkaSharp.Broker.Cluster.KafkaUuid.Parse(assignment.GetProperty("topic_id").GetString()!));

        JsonElement state = JsonShape.Object((await zk.GetDataAsync($"/brokers/topics/{topic}/partitions/0/state")).Data,
            "controller_epoch", "leader", "version", "leader_epoch", "isr");
        Assert.Equal(1, state.GetProperty("version").GetInt32());
        Assert.Equal(0, state.GetProperty("leader_epoch").GetInt32());
        Assert.Equal(1, state.GetProperty("controller_epoch").GetInt32());
        Assert.Equal(assignment.GetProperty("partitions").GetProperty("0")[0].GetInt32(), state.GetProperty("leader").GetInt32());

        JsonElement config = JsonShape.Object((await zk.GetDataAsync($"/config/topics/{topic}")).Data, "version", "config");
        Assert.Equal("compact", config.GetProperty("config").GetProperty("cleanup.policy").GetString());

        // A config change writes the entity, then a sequential change notification.
        var alter = new IncrementalAlterConfigsRequest();
        var resource = new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = 2, ResourceName = topic };
        resource.Configs.Add(new IncrementalAlterConfigsRequest.AlterableConfig { Name = "retention.ms", ConfigOperation = 0, Value = "86400000" });
        alter.Resources.Add(resource);
        var brokerDefault = new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = 4, ResourceName = "" };
        brokerDefault.Configs.Add(new IncrementalAlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", ConfigOperation = 0, Value = "3600000" });
        alter.Resources.Add(brokerDefault);
        IncrementalAlterConfigsResponse altered = await ZkCluster.RequestAsync<IncrementalAlterConfigsResponse>(Cluster[2], alter, 1);
        Assert.All(altered.Responses, r => Assert.Equal(0, r.ErrorCode));

        JsonElement updated = JsonShape.Object((await zk.GetDataAsync($"/config/topics/{topic}")).Data, "version", "config");
        Assert.Equal("86400000", updated.GetProperty("config").GetProperty("retention.ms").GetString());
        JsonElement defaults = JsonShape.Object((await zk.GetDataAsync("/config/brokers/<default>")).Data, "version", "config");
        Assert.Equal("3600000", defaults.GetProperty("config").GetProperty("log.retention.ms").GetString());
        IReadOnlyList<string> changes = await zk.GetChildrenAsync("/config/changes");
        var entities = new List<string>();
        foreach (string change in changes)
        {
            Assert.Matches("^config_change_[0-9]{10}$", change);
            JsonElement notification = JsonShape.Object((await zk.GetDataAsync($"/config/changes/{change}")).Data, "version", "entity_path");
            Assert.Equal(2, notification.GetProperty("version").GetInt32());
            entities.Add(notification.GetProperty("entity_path").GetString()!);
        }

        Assert.Contains($"topics/{topic}", entities);
        Assert.Contains("brokers/<default>", entities);

        // Deletion goes through /admin/delete_topics; DeleteTopics answers once the topic left the broker's metadata,
        // and the controller removes every znode of the topic when the replicas confirmed their StopReplica (as Kafka).
        var delete = new DeleteTopicsRequest { TimeoutMs = 30000, TopicNames = [topic] };
        DeleteTopicsResponse deleted = await ZkCluster.RequestAsync<DeleteTopicsResponse>(Cluster[2], delete, 5);
        Assert.Equal(0, Assert.Single(deleted.Responses).ErrorCode);
        await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync($"/admin/delete_topics/{topic}") is null, $"the deletion of {topic} to complete");
        Assert.Null(await zk.ExistsAsync($"/brokers/topics/{topic}"));
        Assert.Null(await zk.ExistsAsync($"/config/topics/{topic}"));
        // Another broker learns of the deletion through its own ZooKeeper watch, a moment later.
        await ZkCluster.WaitUntilAsync(
            async () => (await ZkCluster.MetadataAsync(Cluster[1])).Topics.All(t => t.Name != topic), $"broker 1 to forget {topic}");
    }

    [Fact]
    public async Task ABrokerWithoutAnIdTakesOneFromTheSequenceAboveTheReservedRange()
    {
        ServerHost generated = await ServerHost.StartAsync([.. Cluster.BrokerSettings(1).Where(s => !s.StartsWith("broker.id=", StringComparison.Ordinal)), "broker.id=-1"]);
        await using (generated)
        {
            await using ZooKeeperClient zk = await Cluster.ConnectZooKeeperAsync();
            ZNodeStat seq = (await zk.ExistsAsync("/brokers/seqid"))!;
            int id = seq.Version + 1000; // reserved.broker.max.id
            // The id is settled before the broker listens; it registers just after.
            await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync($"/brokers/ids/{id}") is not null, $"broker {id} to register");
            Assert.Contains($"broker.id={id}", File.ReadAllText(Path.Combine(generated.DataDir, "meta.properties")));

            // A restart keeps the generated id (meta.properties), it does not take another.
            await generated.RestartAsync();
            await ZkCluster.WaitUntilAsync(async () => await zk.ExistsAsync($"/brokers/ids/{id}") is not null, "the re-registration");
            Assert.Equal(seq.Version, (await zk.ExistsAsync("/brokers/seqid"))!.Version);
        }
    }

    [Fact]
    public async Task ASecondBrokerWithTheSameIdFailsToStart()
    {
        // It listens before it registers (as Kafka does), so it may exit during or just after the start-up wait.
        ServerHost? duplicate = null;
        try
        {
            duplicate = await ServerHost.StartAsync(Cluster.BrokerSettings(1));
        }
        catch (InvalidOperationException e)
        {
            Assert.Contains("exited early with 1", e.Message);
        }

        if (duplicate is not null)
        {
            await ZkCluster.WaitUntilAsync(async () =>
            {
                try
                {
                    using var probe = new System.Net.Sockets.TcpClient();
                    await probe.ConnectAsync(System.Net.IPAddress.Loopback, duplicate.Port);
                    return false;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return true;
                }
            }, "the duplicate broker to exit");
            InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(duplicate.StopAsync);
            Assert.Contains("exited with 1", e.Message);
            await duplicate.DisposeAsync();
        }

        // The first broker 1 is untouched.
        await using ZooKeeperClient zk = await Cluster.ConnectZooKeeperAsync();
        Assert.Contains(Cluster[1].Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Encoding.UTF8.GetString((await zk.GetDataAsync("/brokers/ids/1")).Data));
    }
}
