using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Log;
using Microsoft.Extensions.Logging.Abstractions;
using static KafkaSharp.Broker.Tests.ControllerRequests.ControllerRequests;
using static KafkaSharp.Broker.Tests.Produce.DataRequests;

namespace KafkaSharp.Broker.Tests.ControllerRequests;

/// <summary>
/// A controller's requests sent through the inter-broker channel to a broker served over loopback TCP, and what its
/// clients then see: Metadata showing the cluster, Produce accepted where it leads and NOT_LEADER_OR_FOLLOWER where
/// it does not, logs created and deleted.
/// </summary>
public sealed class ControllerRequestsEndToEndTests : IAsyncLifetime
{
    private const int Self = 0;
    private const int Other = 1;
    private static readonly Guid s_topicId = Guid.Parse("6a7d2b1c-0e55-4a43-9d9b-7a2f5bbf4c11");

    private TestBroker _broker = null!;
    private BrokerSocketListener _listener = null!;
    private InterBrokerChannel _channel = null!;
    private BrokerNode _target = null!;

    public Task InitializeAsync()
    {
        _broker = TestBroker.Start(
            new Dictionary<string, string> { ["broker.id"] = Self.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            beforeStart: null,
            metadataFactory: (_, self) => new ControllerFedTestMetadata(self));
        _listener = BrokerSocketListener.Start(_broker.Broker);
        _target = _listener.Node(Self);
        _channel = new InterBrokerChannel(new InterBrokerOptions { ListenerName = "PLAINTEXT", ClientId = "broker-1" }, NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _listener.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private UpdateMetadataRequest.UpdateMetadataBroker[] LiveBrokers => [ControllerRequests.Broker(Self, _listener.Port), ControllerRequests.Broker(Other, 19999, "rack-b")];

    private async Task<ErrorCode> ProduceAsync(TestClient client, int partition)
    {
        ProduceResponse response = await client.RequestAsync<ProduceResponse>(ProduceTo("orders", partition, Batch(("k", "v")), acks: 1), 9);
        return (ErrorCode)response.Responses.Single().PartitionResponses.Single().ErrorCode;
    }

    [Fact]
    public async Task ControllerRequestsDecideWhatClientsSeeAndWhereTheyCanProduce()
    {
        // The controller creates "orders": partition 0 led here, partition 1 led by broker 1 with this one following.
        LeaderAndIsrResponse leaderAndIsr = await _channel.SendAsync<LeaderAndIsrResponse>(_target,
            LeaderAndIsr(1, "orders", s_topicId, (0, Self, 0, [Self, Other]), (1, Other, 0, [Other, Self])));
        UpdateMetadataResponse update = await _channel.SendAsync<UpdateMetadataResponse>(_target,
            UpdateMetadata(1, Other, LiveBrokers, "orders", s_topicId, (0, Self, 0, [Self, Other]), (1, Other, 0, [Other, Self])));

        Assert.Equal(0, leaderAndIsr.ErrorCode);
        Assert.All(leaderAndIsr.Topics.Single().PartitionErrors, e => Assert.Equal(0, e.ErrorCode));
        Assert.Equal(0, update.ErrorCode);
        Assert.NotNull(_broker.Broker.Logs.GetLog(new TopicPartition("orders", 0)));
        Assert.NotNull(_broker.Broker.Logs.GetLog(new TopicPartition("orders", 1))); // followers keep a log too

        await using TestClient client = _broker.Connect();
        MetadataResponse metadata = await client.RequestAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        Assert.Equal(Other, metadata.ControllerId);
        Assert.Equal([Self, Other], metadata.Brokers.Select(b => b.NodeId).Order());
        Assert.Equal("rack-b", metadata.Brokers.Single(b => b.NodeId == Other).Rack);
        MetadataResponse.MetadataResponseTopic topic = Assert.Single(metadata.Topics);
        Assert.Equal(s_topicId, topic.TopicId);
        Assert.Equal([Self, Other], topic.Partitions.OrderBy(p => p.PartitionIndex).Select(p => p.LeaderId));

        Assert.Equal(ErrorCode.None, await ProduceAsync(client, 0));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, await ProduceAsync(client, 1));

        // Leadership of partition 0 moves to broker 1 (epoch 1): this broker stops accepting produce for it.
        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(2, "orders", s_topicId, (0, Other, 1, [Self, Other])));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, await ProduceAsync(client, 0));

        // And back (epoch 2): the leader epoch starts at the log end in the epoch cache, as Kafka's makeLeader does.
        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(2, "orders", s_topicId, (0, Self, 2, [Self, Other])));
        PartitionLog log = _broker.Broker.Logs.GetLog(new TopicPartition("orders", 0))!;
        Assert.Equal(2, log.LeaderEpochs.LatestEpoch);
        Assert.Equal(ErrorCode.None, await ProduceAsync(client, 0));
        Assert.Equal(2, log.LeaderEpochs.LatestEpoch);
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public async Task ALongPollFetchAnswersAtOnceWhenLeadershipMovesAway()
    {
        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(1, "orders", s_topicId, (0, Self, 0, [Self, Other])));
        await using TestClient client = _broker.Connect();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int correlationId = client.Send(FetchFrom("orders", 0, 0, maxWaitMs: 30_000, minBytes: 1), 12);
        await client.FlushAsync();
        await Task.Delay(200); // the fetch is parked in the purgatory

        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(1, "orders", s_topicId, (0, Other, 1, [Self, Other])));
        (int received, IApiMessage response) = await client.ReadResponseAsync(ApiKey.Fetch, 12);

        Assert.Equal(correlationId, received);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, ((FetchResponse)response).Responses.Single().Partitions.Single().ErrorCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"answered after {clock.Elapsed}"); // not at its 30 s timeout
    }

    [Fact]
    public async Task ADeposedControllerCannotUndoItsSuccessor()
    {
        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(5, "orders", s_topicId, (0, Self, 3, [Self, Other])));

        LeaderAndIsrResponse stale = await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(4, "orders", s_topicId, (0, Other, 9, [Self, Other])));
        UpdateMetadataResponse staleUpdate = await _channel.SendAsync<UpdateMetadataResponse>(_target,
            UpdateMetadata(4, Other, LiveBrokers, "orders", s_topicId, (0, Other, 9, [Self, Other])));
        StopReplicaResponse staleStop = await _channel.SendAsync<StopReplicaResponse>(_target, StopReplica(4, "orders", (0, 9, true)));

        Assert.Equal((short)ErrorCode.StaleControllerEpoch, stale.ErrorCode);
        Assert.Equal((short)ErrorCode.StaleControllerEpoch, staleUpdate.ErrorCode);
        Assert.Equal((short)ErrorCode.StaleControllerEpoch, staleStop.ErrorCode);
        await using TestClient client = _broker.Connect();
        Assert.Equal(ErrorCode.None, await ProduceAsync(client, 0));
        Assert.NotNull(_broker.Broker.Logs.GetLog(new TopicPartition("orders", 0)));
    }

    [Fact]
    public async Task StopReplicaWithDeleteRemovesTheLogFromDisk()
    {
        await _channel.SendAsync<LeaderAndIsrResponse>(_target, LeaderAndIsr(1, "orders", s_topicId, (0, Self, 0, [Self]), (1, Self, 0, [Self])));
        await _channel.SendAsync<UpdateMetadataResponse>(_target, UpdateMetadata(1, Other, LiveBrokers, "orders", s_topicId, (0, Self, 0, [Self]), (1, Self, 0, [Self])));
        PartitionLog log = _broker.Broker.Logs.GetLog(new TopicPartition("orders", 0))!;
        string directory = log.Directory;
        Assert.True(Directory.Exists(directory));

        // A reassignment moved partition 0 away: the new owner leads, this broker stops and deletes its replica.
        await _channel.SendAsync<UpdateMetadataResponse>(_target, UpdateMetadata(1, Other, LiveBrokers, "orders", s_topicId, (0, Other, 1, [Other])));
        StopReplicaResponse stop = await _channel.SendAsync<StopReplicaResponse>(_target, StopReplica(1, "orders", (0, 1, true)));

        Assert.Equal(0, stop.ErrorCode);
        Assert.Equal((short)ErrorCode.None, Assert.Single(stop.PartitionErrors).ErrorCode);
        Assert.False(Directory.Exists(directory));
        Assert.Null(_broker.Broker.Logs.GetLog(new TopicPartition("orders", 0)));
        Assert.NotNull(_broker.Broker.Logs.GetLog(new TopicPartition("orders", 1)));
        await using TestClient client = _broker.Connect();
        Assert.Equal(ErrorCode.NotLeaderOrFollower, await ProduceAsync(client, 0));
        Assert.Equal(ErrorCode.None, await ProduceAsync(client, 1));
    }

    [Fact]
    public async Task ApiVersionsAdvertisesTheControllerRequestsWithKafkasRanges()
    {
        short? leaderAndIsr = await _channel.For(_target).NegotiatedVersionAsync(new LeaderAndIsrRequest());
        short? updateMetadata = await _channel.For(_target).NegotiatedVersionAsync(new UpdateMetadataRequest());
        short? stopReplica = await _channel.For(_target).NegotiatedVersionAsync(new StopReplicaRequest());

        Assert.Equal((short)7, leaderAndIsr);
        Assert.Equal((short)8, updateMetadata);
        Assert.Equal((short)4, stopReplica);
    }
}
