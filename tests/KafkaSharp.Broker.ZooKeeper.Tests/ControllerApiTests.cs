using Confluent.Kafka;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using ErrorCode = KafkaSharp.Protocol.ErrorCode;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>
/// The controller's APIs over the wire: scaling out by reassigning partitions to a new broker while clients keep
/// producing, ElectLeaders and ControlledShutdown.
/// </summary>
public sealed class ControllerApiTests : ThreeBrokerClusterTest
{
    [Fact]
    public async Task PartitionsReassignedToAFourthBrokerMoveThereWhileAProducerKeepsWriting()
    {
        string topic = $"scale-out-{Guid.NewGuid():N}";
        await CreateTopicAsync(Cluster[1], topic, partitions: 3, replication: 1);
        await Cluster.AddBrokerAsync(4);
        await Cluster.WaitUntilEveryBrokerSeesAllAsync();

        // A producer writes to every partition throughout the move.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        int delivered = 0;
        Task producing = Task.Run(async () =>
        {
            var config = new ProducerConfig { BootstrapServers = Cluster.BootstrapOf(1, 2, 3), Acks = Acks.All, LingerMs = 5, MessageTimeoutMs = 30000 };
            using IProducer<Null, string> producer = new ProducerBuilder<Null, string>(config).Build();
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await producer.ProduceAsync(new TopicPartition(topic, i % 3), new Message<Null, string> { Value = $"v{i}" });
                    Interlocked.Increment(ref delivered);
                }
                catch (ProduceException<Null, string> e)
                {
                    lock (failures)
                    {
                        failures.Add(e.Error.Reason);
                    }
                }
            }
        });

        await ZkCluster.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref delivered) >= 20), "the producer to get going");
        int controller = (await ZkCluster.MetadataAsync(Cluster[1])).ControllerId;
        var alter = new AlterPartitionReassignmentsRequest { TimeoutMs = 30000 };
        var reassigned = new AlterPartitionReassignmentsRequest.ReassignableTopic { Name = topic };
        reassigned.Partitions.Add(new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = [4] });
        reassigned.Partitions.Add(new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 1, Replicas = [4, 2] });
        reassigned.Partitions.Add(new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 2, Replicas = [9] });
        alter.Topics.Add(reassigned);
        AlterPartitionReassignmentsResponse altered = await ZkCluster.RequestAsync<AlterPartitionReassignmentsResponse>(Cluster[controller], alter, 0);
        Assert.Equal(0, altered.ErrorCode);
        short[] errors = [.. altered.Responses.Single().Partitions.OrderBy(p => p.PartitionIndex).Select(p => p.ErrorCode)];
        Assert.Equal([0, 0, (short)ErrorCode.InvalidReplicaAssignment], errors);

        await ZkCluster.WaitUntilAsync(async () =>
        {
            MetadataResponse metadata = await ZkCluster.MetadataAsync(Cluster[2], topic);
            MetadataResponse.MetadataResponsePartition p0 = ClusterClients.Partition(metadata, topic, 0);
            MetadataResponse.MetadataResponsePartition p1 = ClusterClients.Partition(metadata, topic, 1);
            return p0.LeaderId == 4 && p0.ReplicaNodes.SequenceEqual([4]) && p1.ReplicaNodes.SequenceEqual([4, 2]) && p1.LeaderId != -1;
        }, "the reassignment to complete");

        // Broker 2's metadata can show a partition's final replicas before the controller has finished with it
        // (partition 1 shows [4, 2] throughout when broker 2 held it), so the empty list is waited for.
        var list = new ListPartitionReassignmentsRequest { TimeoutMs = 30000, Topics = null };
        await ZkCluster.WaitUntilAsync(async () =>
        {
            ListPartitionReassignmentsResponse listed = await ZkCluster.RequestAsync<ListPartitionReassignmentsResponse>(Cluster[controller], list, 0);
            Assert.Equal(0, listed.ErrorCode);
            return listed.Topics.Count == 0;
        }, "the controller to list no ongoing reassignment");
        ListPartitionReassignmentsResponse notController = await ZkCluster.RequestAsync<ListPartitionReassignmentsResponse>(
            Cluster[Cluster.Brokers.Keys.First(id => id != controller)], list, 0);
        Assert.Equal((short)ErrorCode.NotController, notController.ErrorCode);

        // Writes continue against the new leader, and what it received is readable from it.
        int before = Volatile.Read(ref delivered);
        await ZkCluster.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref delivered) >= before + 30), "more deliveries after the move");
        await stop.CancelAsync();
        await producing.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.Empty(failures);
        await ClusterClients.ProduceAsync(Cluster.BootstrapOf(4), topic, 0, "on-broker-4");
        Assert.Contains("on-broker-4", ClusterClients.ConsumeUntil(Cluster.BootstrapOf(4), topic, [0], values => values.Contains("on-broker-4")));
    }

    [Fact]
    public async Task ElectLeadersAndControlledShutdownAreAnsweredByTheController()
    {
        string topic = $"elect-{Guid.NewGuid():N}";
        await CreateTopicAsync(Cluster[1], topic, partitions: 3, replication: 2);
        MetadataResponse metadata = await ZkCluster.MetadataAsync(Cluster[1], topic);
        int controller = metadata.ControllerId;
        int other = Cluster.Brokers.Keys.First(id => id != controller);

        // Preferred election where the preferred replica leads: ELECTION_NOT_NEEDED; elsewhere NOT_CONTROLLER.
        ElectLeadersResponse notNeeded = await ElectAsync(Cluster[controller], 0, topic, 0);
        Assert.Equal((short)ErrorCode.ElectionNotNeeded, notNeeded.ReplicaElectionResults.Single().PartitionResult.Single().ErrorCode);
        ElectLeadersResponse wrongBroker = await ElectAsync(Cluster[other], 0, topic, 0);
        Assert.Equal((short)ErrorCode.NotController, wrongBroker.ReplicaElectionResults.Single().PartitionResult.Single().ErrorCode);

        // An offline partition (its only ISR member stopped) gets a leader from an unclean election on request.
        MetadataResponse.MetadataResponsePartition target = metadata.Topics[0].Partitions.First(p => p.LeaderId != controller);
        int victim = target.LeaderId;
        int survivor = target.ReplicaNodes.Single(r => r != victim);
        await Cluster[victim].StopAsync();
        await ZkCluster.WaitUntilAsync(async () =>
            ClusterClients.Partition(await ZkCluster.MetadataAsync(Cluster[controller], topic), topic, target.PartitionIndex).LeaderId == -1,
            "the partition to go offline");
        ElectLeadersResponse unclean = await ElectAsync(Cluster[controller], 1, topic, target.PartitionIndex);
        Assert.Equal(0, unclean.ReplicaElectionResults.Single().PartitionResult.Single().ErrorCode);
        await ZkCluster.WaitUntilAsync(async () =>
            ClusterClients.Partition(await ZkCluster.MetadataAsync(Cluster[controller], topic), topic, target.PartitionIndex).LeaderId == survivor,
            "the unclean leader");

        // ControlledShutdown: answered by the controller only, fenced by broker epoch.
        int asking = Cluster.Brokers.Keys.First(id => id != controller && id != victim);
        ControlledShutdownResponse stale = await ZkCluster.RequestAsync<ControlledShutdownResponse>(Cluster[controller],
            new ControlledShutdownRequest { BrokerId = asking, BrokerEpoch = 1 }, 3);
        Assert.Equal((short)ErrorCode.StaleBrokerEpoch, stale.ErrorCode);
        ControlledShutdownResponse elsewhere = await ZkCluster.RequestAsync<ControlledShutdownResponse>(Cluster[asking],
            new ControlledShutdownRequest { BrokerId = asking, BrokerEpoch = -1 }, 3);
        Assert.Equal((short)ErrorCode.NotController, elsewhere.ErrorCode);
        ControlledShutdownResponse accepted = await ZkCluster.RequestAsync<ControlledShutdownResponse>(Cluster[controller],
            new ControlledShutdownRequest { BrokerId = asking, BrokerEpoch = -1 }, 3);
        Assert.Equal(0, accepted.ErrorCode);
        // Followers hold no data yet, so partitions with other replicas cannot move: reported as remaining. The
        // controller's own metadata follows its ZooKeeper writes asynchronously, so it is waited for.
        int[] remaining = [.. accepted.RemainingPartitions.Select(p => p.PartitionIndex).Order()];
        await ZkCluster.WaitUntilAsync(async () =>
            (await ZkCluster.MetadataAsync(Cluster[controller], topic)).Topics[0].Partitions
                .Where(p => p.LeaderId == asking).Select(p => p.PartitionIndex).Order().SequenceEqual(remaining),
            $"broker {asking} to lead exactly the remaining partitions [{string.Join(",", remaining)}]");
    }

    private static async Task<ElectLeadersResponse> ElectAsync(ServerHost broker, sbyte type, string topic, int partition)
    {
        var request = new ElectLeadersRequest { ElectionType = type, TimeoutMs = 30000 };
        request.TopicPartitions!.Add(new ElectLeadersRequest.TopicPartitionsData { Topic = topic, Partitions = [partition] });
        return await ZkCluster.RequestAsync<ElectLeadersResponse>(broker, request, 2);
    }

    private static async Task CreateTopicAsync(ServerHost broker, string topic, int partitions, short replication)
    {
        var create = new CreateTopicsRequest { TimeoutMs = 30000 };
        create.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = partitions, ReplicationFactor = replication });
        CreateTopicsResponse response = await ZkCluster.RequestAsync<CreateTopicsResponse>(broker, create, 7);
        Assert.Equal(0, Assert.Single(response.Topics).ErrorCode);
    }
}
