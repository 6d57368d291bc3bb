using System.Buffers;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>
/// The controller's requests at every version a peer may negotiate: they encode (no field set that the version
/// lacks), decode, and a broker's controller-fed cache takes them as meant.
/// </summary>
public sealed class ControllerRequestsTests
{
    private static readonly BrokerNode s_one = new(1, "rack-a", [new BrokerEndpoint("PLAINTEXT", "host-1", 9091, SecurityProtocol.Plaintext)]);
    private static readonly BrokerNode s_two = new(2, null, [new BrokerEndpoint("PLAINTEXT", "host-2", 9092, SecurityProtocol.Plaintext)]);
    private static readonly Guid s_topicId = KafkaUuid.NewId();

    private static PartitionSnapshot Partition(int partition, int leader, int[] replicas) =>
        new("orders", partition, s_topicId, replicas, [], [], new LeaderAndIsr(leader, 4, [leader], 3, 9));

    [Fact]
    public void UpdateMetadataAtEveryVersionGivesTheLiveBrokersControllerAndPartitions()
    {
        for (short version = 0; version <= UpdateMetadataRequest.HighestVersion; version++)
        {
            var cache = new ControllerFedMetadataCache(s_one, "cluster", NullLogger.Instance);
            var request = new UpdateMetadataControllerRequest(2, 3, 77, full: true, [s_one, s_two], [Partition(0, 1, [1, 2]), Partition(1, 2, [2, 1])], []);
            UpdateMetadataRequest decoded = RoundTrip<UpdateMetadataRequest>(request.Build(version), version);

            Assert.Equal(0, cache.ApplyUpdateMetadata(decoded, version).ErrorCode);
            ClusterImage image = cache.Current;
            Assert.Equal(2, image.ControllerId);
            Assert.Equal([1, 2], image.Brokers.Select(b => b.Id));
            Assert.Equal("host-2", image.GetBroker(2)!.EndpointFor("PLAINTEXT")!.Host);
            if (version >= 7)
            {
                // Topic ids arrive from v7; before that the cache holds the topic back until LeaderAndIsr names its id.
                TopicState topic = image.TopicsByName["orders"];
                Assert.Equal(s_topicId, topic.TopicId);
                Assert.Equal([1, 2], topic.Partitions.Select(p => p.Leader));
                Assert.Equal(4, topic.Partitions[1].LeaderEpoch);
            }
        }
    }

    [Fact]
    public void LeaderAndIsrAtEveryVersionPlacesTheReplicasOnTheBroker()
    {
        for (short version = 0; version <= LeaderAndIsrRequest.HighestVersion; version++)
        {
            var cache = new ControllerFedMetadataCache(s_one, "cluster", NullLogger.Instance);
            ControllerRequest request = new LeaderAndIsrControllerRequest(2, 3, 77, full: version % 2 == 0,
                [(Partition(0, 1, [1, 2]), true), (Partition(1, 2, [2, 1]), false)], [s_one, s_two], "PLAINTEXT");
            LeaderAndIsrRequest decoded = RoundTrip<LeaderAndIsrRequest>(request.Build(version), version);

            LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(decoded, version);
            Assert.Equal(0, response.ErrorCode);
            Assert.Empty(request.Errors(response).PartitionErrors);
            Assert.True(cache.IsHostedLocally("orders", 0));
            Assert.True(cache.IsHostedLocally("orders", 1));
            Assert.Equal(3, cache.ControllerEpoch);
        }
    }

    [Fact]
    public void StopReplicaAtEveryVersionDeletesThePartitionAndAnOlderControllerEpochChangesNothing()
    {
        for (short version = 0; version <= StopReplicaRequest.HighestVersion; version++)
        {
            var cache = new ControllerFedMetadataCache(s_one, "cluster", NullLogger.Instance);
            var place = new LeaderAndIsrControllerRequest(2, 3, 77, full: true, [(Partition(0, 1, [1]), true)], [s_one], "PLAINTEXT");
            cache.ApplyLeaderAndIsr(RoundTrip<LeaderAndIsrRequest>(place.Build(7), 7), 7);

            var stale = new StopReplicaControllerRequest(2, 2, 77, [new StopReplicaEntry("orders", 0, ControllerFedMetadataCache.EpochDuringDelete, Delete: true)]);
            StopReplicaOutcome refused = cache.ApplyStopReplica(RoundTrip<StopReplicaRequest>(stale.Build(version), version), version);
            Assert.Equal((short)ErrorCode.StaleControllerEpoch, refused.Response.ErrorCode);
            Assert.True(cache.IsHostedLocally("orders", 0));

            var stop = new StopReplicaControllerRequest(2, 3, 77, [new StopReplicaEntry("orders", 0, ControllerFedMetadataCache.EpochDuringDelete, Delete: true)]);
            StopReplicaOutcome outcome = cache.ApplyStopReplica(RoundTrip<StopReplicaRequest>(stop.Build(version), version), version);
            Assert.Equal(0, outcome.Response.ErrorCode);
            Assert.Equal([new TopicPartition("orders", 0)], outcome.PartitionsToDelete);
            Assert.False(cache.IsHostedLocally("orders", 0));
        }
    }

    [Fact]
    public void AStopReplicaAnswerConfirmsOnlyTheDeletionsItReportsWithoutError()
    {
        IReadOnlyList<(string Topic, int Partition)>? confirmed = null;
        var stop = new StopReplicaControllerRequest(2, 3, 77,
            [
                new StopReplicaEntry("orders", 0, ControllerFedMetadataCache.EpochDuringDelete, Delete: true),
                new StopReplicaEntry("orders", 1, ControllerFedMetadataCache.EpochDuringDelete, Delete: true),
            ],
            deleted => confirmed = deleted);
        var response = new StopReplicaResponse { ErrorCode = 0 };
        response.PartitionErrors.Add(new StopReplicaResponse.StopReplicaPartitionError { TopicName = "orders", PartitionIndex = 0, ErrorCode = 0 });
        response.PartitionErrors.Add(new StopReplicaResponse.StopReplicaPartitionError { TopicName = "orders", PartitionIndex = 1, ErrorCode = (short)ErrorCode.KafkaStorageError });
        response.PartitionErrors.Add(new StopReplicaResponse.StopReplicaPartitionError { TopicName = "payments", PartitionIndex = 0, ErrorCode = 0 });

        stop.Answered(response);

        Assert.Equal([("orders", 0)], confirmed);
    }

    [Fact]
    public void UpdateMetadataWithLeaderDuringDeleteRemovesTheTopic()
    {
        var cache = new ControllerFedMetadataCache(s_one, "cluster", NullLogger.Instance);
        var full = new UpdateMetadataControllerRequest(2, 3, 77, full: true, [s_one, s_two], [Partition(0, 1, [1]), Partition(1, 2, [2])], []);
        cache.ApplyUpdateMetadata(RoundTrip<UpdateMetadataRequest>(full.Build(8), 8), 8);
        Assert.True(cache.Current.TryGetTopic("orders", out _));

        var deleted = new UpdateMetadataControllerRequest(2, 3, 77, full: false, [s_one, s_two], [], [("orders", 0), ("orders", 1)]);
        Assert.Equal(0, cache.ApplyUpdateMetadata(RoundTrip<UpdateMetadataRequest>(deleted.Build(8), 8), 8).ErrorCode);
        Assert.False(cache.Current.TryGetTopic("orders", out _));
    }

    private static T RoundTrip<T>(IApiMessage message, short version)
        where T : IApiMessage, new()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        writer.Flush();
        Assert.Equal(message.Size(version), buffer.WrittenCount);
        var reader = new KafkaReader(buffer.WrittenMemory);
        var decoded = new T();
        decoded.Read(ref reader, version);
        return decoded;
    }
}
