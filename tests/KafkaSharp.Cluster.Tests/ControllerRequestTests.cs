using System.Buffers;
using System.Text;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Cluster.TestSupport;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.Cluster.Tests;

/// <summary>
/// The controller's LeaderAndIsr, UpdateMetadata and StopReplica against server processes: brokers learn the
/// cluster from them (not from ZooKeeper), refuse a deposed controller's epoch, delete what StopReplica removes, and
/// a stopping broker's ControlledShutdown reaches the controller over the inter-broker channel.
/// </summary>
public sealed class ControllerRequestTests
{
    [Fact]
    public async Task AfterControllerFailoverBrokersLearnTheNewControllerFromItsRequestsAndRefuseTheOldEpoch()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);
        int controller = await cluster.WaitForControllerAsync();
        int epoch = await cluster.ControllerEpochAsync();
        int target = new[] { 1, 2, 3 }.First(id => id != controller);
        string topic = $"fenced-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster, target, topic, [[target]]);
        MetadataResponse.MetadataResponseTopic created = await WaitForLeaderAsync(cluster, target, topic, 0, target);

        await cluster.KillAsync(controller);
        int successor = await cluster.WaitForControllerAsync(notThis: controller);
        Assert.True(await cluster.ControllerEpochAsync() > epoch);

        // Brokers read neither /controller nor /brokers/ids: the new controller id and the smaller cluster reach
        // them in the new controller's UpdateMetadata.
        foreach (int id in new[] { 1, 2, 3 }.Where(id => id != controller))
        {
            await Waits.ForAsync(() => cluster.MetadataAsync(id), m => m.ControllerId == successor && m.Brokers.Count == 2,
                $"broker {id} to hear of controller {successor} and 2 live brokers");
        }

        // The deposed controller's epoch is refused, and changes nothing.
        var staleMetadata = new UpdateMetadataRequest { ControllerId = controller, ControllerEpoch = epoch, BrokerEpoch = -1 };
        staleMetadata.LiveBrokers.Add(new UpdateMetadataRequest.UpdateMetadataBroker
        {
            Id = controller,
            Endpoints = [new UpdateMetadataRequest.UpdateMetadataEndpoint { Host = "127.0.0.1", Port = cluster[controller].Port, Listener = "PLAINTEXT" }],
        });
        staleMetadata.TopicStates.Add(new UpdateMetadataRequest.UpdateMetadataTopicState
        {
            TopicName = topic,
            TopicId = created.TopicId,
            PartitionStates = [new UpdateMetadataRequest.UpdateMetadataPartitionState { TopicName = topic, PartitionIndex = 0, ControllerEpoch = epoch, Leader = controller, LeaderEpoch = 50, Replicas = [controller], Isr = [controller] }],
        });
        UpdateMetadataResponse metadataAnswer = await cluster.RequestAsync<UpdateMetadataResponse>(target, staleMetadata);
        Assert.Equal(ErrorCode.StaleControllerEpoch, (ErrorCode)metadataAnswer.ErrorCode);

        var staleLeaderAndIsr = new LeaderAndIsrRequest { ControllerId = controller, ControllerEpoch = epoch, BrokerEpoch = -1 };
        staleLeaderAndIsr.TopicStates.Add(new LeaderAndIsrRequest.LeaderAndIsrTopicState
        {
            TopicName = topic,
            TopicId = created.TopicId,
            PartitionStates = [new LeaderAndIsrRequest.LeaderAndIsrPartitionState { TopicName = topic, PartitionIndex = 0, ControllerEpoch = epoch, Leader = -1, LeaderEpoch = 50, Replicas = [target], Isr = [] }],
        });
        LeaderAndIsrResponse leaderAndIsrAnswer = await cluster.RequestAsync<LeaderAndIsrResponse>(target, staleLeaderAndIsr);
        Assert.Equal(ErrorCode.StaleControllerEpoch, (ErrorCode)leaderAndIsrAnswer.ErrorCode);

        MetadataResponse after = await cluster.MetadataAsync(target, topic);
        Assert.Equal(successor, after.ControllerId);
        Assert.Equal(2, after.Brokers.Count);
        Assert.Equal(target, Assert.Single(Assert.Single(after.Topics).Partitions).LeaderId);
        Assert.Equal(0, await ProduceAsync(cluster, target, topic, 0, "after-failover"));
    }

    [Fact]
    public async Task DeletingATopicRemovesItsPartitionDirectoriesOnEveryReplica()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);
        string topic = $"deleted-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster, 1, topic, [[1, 2, 3], [2, 3, 1]]);

        // Followers get LeaderAndIsr too, so every replica has its directory.
        string[] directories = [.. from id in new[] { 1, 2, 3 } from p in new[] { 0, 1 } select cluster.PartitionDirectory(id, topic, p)];
        await Waits.UntilAsync(() => Task.FromResult(directories.All(Directory.Exists)), "every replica's partition directory");

        var delete = new DeleteTopicsRequest { TimeoutMs = 30000 };
        delete.Topics.Add(new DeleteTopicsRequest.DeleteTopicState { Name = topic });
        DeleteTopicsResponse deleted = await cluster.RequestAsync<DeleteTopicsResponse>(2, delete, 6);
        Assert.Equal(0, Assert.Single(deleted.Responses).ErrorCode);

        await Waits.UntilAsync(() => Task.FromResult(!directories.Any(Directory.Exists)), "every replica's partition directory to be deleted");
        foreach (int id in new[] { 1, 2, 3 })
        {
            await Waits.ForAsync(() => cluster.MetadataAsync(id, topic), m => Assert.Single(m.Topics).ErrorCode == (short)ErrorCode.UnknownTopicOrPartition,
                $"broker {id} to forget the topic");
        }
    }

    [Fact]
    public async Task ADeletionWaitsForADownReplicaWhichLosesItsLogWhenItReturnsAndTheNameCanThenBeCreatedAgain()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);
        string topic = $"pending-{Guid.NewGuid():N}";
        int[][] assignment = [[1, 2, 3], [2, 3, 1], [3, 1, 2]];
        await CreateTopicAsync(cluster, 1, topic, assignment);
        string[] directories = [.. from id in new[] { 1, 2, 3 } from p in new[] { 0, 1, 2 } select cluster.PartitionDirectory(id, topic, p)];
        await Waits.UntilAsync(() => Task.FromResult(directories.All(Directory.Exists)), "every replica's partition directory");
        for (int p = 0; p < assignment.Length; p++)
        {
            await WaitForLeaderAsync(cluster, 1, topic, p, assignment[p][0]);
            Assert.Equal(0, await ProduceAsync(cluster, assignment[p][0], topic, p, "old"));
            Assert.Equal(1, await ProduceAsync(cluster, assignment[p][0], topic, p, "old"));
        }

        await cluster.KillAsync(3);
        await cluster.WaitUntilUnregisteredAsync(3);
        var delete = new DeleteTopicsRequest { TimeoutMs = 30000 };
        delete.Topics.Add(new DeleteTopicsRequest.DeleteTopicState { Name = topic });
        Assert.Equal(0, Assert.Single((await cluster.RequestAsync<DeleteTopicsResponse>(1, delete, 6)).Responses).ErrorCode);

        // The live replicas delete their logs and hide the topic; the deletion stays pending for broker 3.
        string[] onLive = [.. from id in new[] { 1, 2 } from p in new[] { 0, 1, 2 } select cluster.PartitionDirectory(id, topic, p)];
        await Waits.UntilAsync(() => Task.FromResult(!onLive.Any(Directory.Exists)), "the live replicas' partition directories to be deleted");
        Assert.All(from p in new[] { 0, 1, 2 } select cluster.PartitionDirectory(3, topic, p), d => Assert.True(Directory.Exists(d), d));
        foreach (int id in new[] { 1, 2 })
        {
            await Waits.ForAsync(() => cluster.MetadataAsync(id, topic), m => Assert.Single(m.Topics).ErrorCode == (short)ErrorCode.UnknownTopicOrPartition,
                $"broker {id} to hide the topic");
        }

        Assert.True(await cluster.ZNodeExistsAsync($"/admin/delete_topics/{topic}"));
        Assert.True(await cluster.ZNodeExistsAsync($"/brokers/topics/{topic}"));
        Assert.Equal(ErrorCode.TopicAlreadyExists, await TryCreateTopicAsync(cluster, 2, topic, [[1, 2]])); // live brokers only: Kafka checks them first

        // Broker 3 returns with its old logs: the controller sends it StopReplica (delete), then finishes the deletion.
        await cluster.RestartAsync(3);
        string[] onReturned = [.. from p in new[] { 0, 1, 2 } select cluster.PartitionDirectory(3, topic, p)];
        await Waits.UntilAsync(() => Task.FromResult(!onReturned.Any(Directory.Exists)), "the returned replica's partition directories to be deleted");
        await Waits.UntilAsync(async () => !await cluster.ZNodeExistsAsync($"/brokers/topics/{topic}") && !await cluster.ZNodeExistsAsync($"/admin/delete_topics/{topic}"),
            "the topic's znodes and deletion marker to go");

        // The name is free again, and every replica starts the new topic with an empty log.
        await CreateTopicAsync(cluster, 3, topic, assignment);
        for (int p = 0; p < assignment.Length; p++)
        {
            foreach (int id in new[] { 1, 2, 3 })
            {
                await WaitForLeaderAsync(cluster, id, topic, p, assignment[p][0]);
            }

            Assert.Equal(0, await ProduceAsync(cluster, assignment[p][0], topic, p, $"new-{p}"));
        }

        // Confluent.Kafka produces to and consumes from every partition of the new topic: none of the old records.
        RdKafka.EnsureLoaded();
        for (int p = 0; p < assignment.Length; p++)
        {
            await ClusterClients.ProduceAsync(cluster.BootstrapServers, topic, p, $"client-{p}");
        }

        List<string> consumed = ClusterClients.Consume(cluster.BootstrapServers, topic, [0, 1, 2], 6);
        Assert.Equal(["client-0", "client-1", "client-2", "new-0", "new-1", "new-2"], consumed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AReplicaMovedAwayByAReassignmentHasItsDirectoryDeletedAndAReplicaRestartedGetsItsPartitionBack()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);
        int controller = await cluster.WaitForControllerAsync();
        string moved = $"moved-{Guid.NewGuid():N}";
        string kept = $"kept-{Guid.NewGuid():N}";
        await CreateTopicAsync(cluster, 1, moved, [[1]]);
        await CreateTopicAsync(cluster, 1, kept, [[3]]);
        await Waits.UntilAsync(() => Task.FromResult(Directory.Exists(cluster.PartitionDirectory(1, moved, 0))), "the moved partition's directory on broker 1");
        await WaitForLeaderAsync(cluster, 3, kept, 0, 3);
        Assert.Equal(0, await ProduceAsync(cluster, 3, kept, 0, "before-restart"));

        var reassign = new AlterPartitionReassignmentsRequest { TimeoutMs = 30000 };
        reassign.Topics.Add(new AlterPartitionReassignmentsRequest.ReassignableTopic
        {
            Name = moved,
            Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = [2] }],
        });
        AlterPartitionReassignmentsResponse started = await cluster.RequestAsync<AlterPartitionReassignmentsResponse>(controller, reassign);
        Assert.Equal(0, Assert.Single(Assert.Single(started.Responses).Partitions).ErrorCode);
        await WaitForLeaderAsync(cluster, 3, moved, 0, 2);
        await Waits.UntilAsync(() => Task.FromResult(Directory.Exists(cluster.PartitionDirectory(2, moved, 0)) && !Directory.Exists(cluster.PartitionDirectory(1, moved, 0))),
            "the partition's directory to move from broker 1 to broker 2");

        // SIGKILL the only replica of `kept`: offline once its session expires; back, with its data, after a restart.
        await cluster.KillAsync(3);
        await WaitForLeaderAsync(cluster, 1, kept, 0, -1);
        await cluster.RestartAsync(3);
        await WaitForLeaderAsync(cluster, 3, kept, 0, 3);
        Assert.Equal(1, await ProduceAsync(cluster, 3, kept, 0, "after-restart"));
    }

    [Fact]
    public async Task AStoppingBrokersControlledShutdownMovesItsLeadershipsBeforeItExits()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);
        int controller = await cluster.WaitForControllerAsync();
        int[] others = [.. new[] { 1, 2, 3 }.Where(id => id != controller)];
        (int stopping, int successor) = (others[0], others[1]);
        string topic = $"shutdown-{Guid.NewGuid():N}";

        // Followers copy no data yet, so only an unclean choice can take over a partition from its leader.
        await CreateTopicAsync(cluster, stopping, topic, [[stopping, successor]], ("unclean.leader.election.enable", "true"));
        await WaitForLeaderAsync(cluster, successor, topic, 0, stopping);

        await cluster.StopAsync(stopping);

        // The stopping broker (not the controller) reached the controller over the inter-broker channel, and the
        // controller had moved the leadership when it answered: nothing was left for the broker's znode removal.
        string log = File.ReadAllText(cluster[stopping].LogPath);
        Assert.Contains($"Controlled shutdown of broker {stopping} succeeded", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Controlled shutdown not complete yet", log, StringComparison.Ordinal);
        await WaitForLeaderAsync(cluster, successor, topic, 0, successor);
        string controllerLog = File.ReadAllText(cluster[controller].LogPath);
        Assert.Contains($"Broker {stopping} started a controlled shutdown", controllerLog, StringComparison.Ordinal);
    }

    private static async Task CreateTopicAsync(KafkaCluster cluster, int via, string topic, int[][] assignment, params (string Key, string Value)[] configs)
    {
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        var creatable = new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = -1, ReplicationFactor = -1 };
        for (int p = 0; p < assignment.Length; p++)
        {
            creatable.Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = p, BrokerIds = [.. assignment[p]] });
        }

        foreach ((string key, string value) in configs)
        {
            creatable.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = key, Value = value });
        }

        create.Topics.Add(creatable);
        CreateTopicsResponse response = await cluster.RequestAsync<CreateTopicsResponse>(via, create, 7);
        CreateTopicsResponse.CreatableTopicResult result = Assert.Single(response.Topics);
        Assert.True(result.ErrorCode == 0, $"CreateTopics: {(ErrorCode)result.ErrorCode} {result.ErrorMessage}");
    }

    private static async Task<ErrorCode> TryCreateTopicAsync(KafkaCluster cluster, int via, string topic, int[][] assignment)
    {
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        var creatable = new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = -1, ReplicationFactor = -1 };
        for (int p = 0; p < assignment.Length; p++)
        {
            creatable.Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = p, BrokerIds = [.. assignment[p]] });
        }

        create.Topics.Add(creatable);
        CreateTopicsResponse response = await cluster.RequestAsync<CreateTopicsResponse>(via, create, 7);
        return (ErrorCode)Assert.Single(response.Topics).ErrorCode;
    }

    private static Task<MetadataResponse.MetadataResponseTopic> WaitForLeaderAsync(KafkaCluster cluster, int askedBroker, string topic, int partition, int leader) =>
        Waits.ForAsync(
            async () => (await cluster.MetadataAsync(askedBroker, topic)).Topics.Single(),
            t => t.ErrorCode == 0 && t.Partitions.Any(p => p.PartitionIndex == partition && p.LeaderId == leader),
            $"broker {askedBroker} to show leader {leader} for {topic}-{partition}");

    /// <summary>Produces one record (acks=1) to <paramref name="broker"/> and returns its offset.</summary>
    private static async Task<long> ProduceAsync(KafkaCluster cluster, int broker, string topic, int partition, string value)
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes(value));
        var records = new ArrayBufferWriter<byte>();
        builder.WriteTo(records);
        var produce = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 10000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = topic,
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = new ReadOnlySequence<byte>(records.WrittenMemory) }],
                },
            ],
        };
        ProduceResponse response = await cluster.RequestAsync<ProduceResponse>(broker, produce, 9);
        ProduceResponse.PartitionProduceResponse answer = Assert.Single(Assert.Single(response.Responses).PartitionResponses);
        Assert.True(answer.ErrorCode == 0, $"Produce to {topic}-{partition} on broker {broker}: {(ErrorCode)answer.ErrorCode}");
        return answer.BaseOffset;
    }
}
