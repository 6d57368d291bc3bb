using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static KafkaSharp.Broker.Tests.ControllerRequests.ControllerRequests;

namespace KafkaSharp.Broker.Tests.ControllerRequests;

public sealed class ControllerFedMetadataCacheTests
{
    private const int Self = 0;
    private static readonly Guid s_topicId = Guid.Parse("0f9f6ca0-5d39-4bf0-8f8b-3c1c3b0a1d21");
    private static readonly UpdateMetadataRequest.UpdateMetadataBroker[] s_brokers = [ControllerRequests.Broker(0, 9092, "r0"), ControllerRequests.Broker(1, 9093, "r1"), ControllerRequests.Broker(2, 9094, "r2")];

    private static ControllerFedMetadataCache NewCache() =>
        new(new BrokerNode(Self, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092, SecurityProtocol.Plaintext)]), "cluster-1", NullLogger.Instance);

    private static ErrorCode[] Errors(LeaderAndIsrResponse response) =>
        [.. response.Topics.SelectMany(t => t.PartitionErrors).Concat(response.PartitionErrors).Select(e => (ErrorCode)e.ErrorCode)];

    [Fact]
    public void ApplyUpdateMetadataPublishesBrokersControllerAndPartitions()
    {
        ControllerFedMetadataCache cache = NewCache();
        (ClusterImage Before, ClusterImage After)? changed = null;
        cache.Changed += (before, after) => changed = (before, after);

        UpdateMetadataResponse response = cache.ApplyUpdateMetadata(
            UpdateMetadata(3, 1, s_brokers, "orders", s_topicId, (0, 1, 4, [1, 2]), (1, 2, 0, [2, 0])), 8);

        Assert.Equal(0, response.ErrorCode);
        ClusterImage image = cache.Current;
        Assert.Same(image, changed!.Value.After);
        Assert.Equal("cluster-1", image.ClusterId);
        Assert.Equal(1, image.ControllerId);
        Assert.Equal([0, 1, 2], image.Brokers.Select(b => b.Id));
        Assert.Equal("r1", image.GetBroker(1)!.Rack);
        Assert.Equal(9094, image.GetBroker(2)!.EndpointFor("PLAINTEXT")!.Port);
        Assert.True(image.TryGetTopic(s_topicId, out TopicState? topic));
        Assert.Equal("orders", topic.Name);
        Assert.Equal(1, topic.Partitions[0].Leader);
        Assert.Equal(4, topic.Partitions[0].LeaderEpoch);
        Assert.Equal([2, 0], topic.Partitions[1].Replicas);
        Assert.Equal(3, cache.ControllerEpoch);
        Assert.False(cache.IsHostedLocally("orders", 1)); // only LeaderAndIsr places replicas here
    }

    [Fact]
    public void ApplyUpdateMetadataRefusesAnOlderControllerEpochAndAcceptsANewerOne()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyUpdateMetadata(UpdateMetadata(5, 1, s_brokers, "orders", s_topicId, (0, 1, 0, [1])), 8);

        UpdateMetadataResponse stale = cache.ApplyUpdateMetadata(UpdateMetadata(4, 2, s_brokers[..1], "", Guid.Empty), 8);
        Assert.Equal((short)ErrorCode.StaleControllerEpoch, stale.ErrorCode);
        Assert.Equal(1, cache.Current.ControllerId);
        Assert.Equal(3, cache.Current.Brokers.Count);

        UpdateMetadataResponse newer = cache.ApplyUpdateMetadata(UpdateMetadata(6, 2, s_brokers[..2], "", Guid.Empty), 8);
        Assert.Equal(0, newer.ErrorCode);
        Assert.Equal(2, cache.Current.ControllerId);
        Assert.Equal(6, cache.ControllerEpoch);
        Assert.True(cache.Current.TryGetTopic("orders", out _)); // partition states are incremental: kept
    }

    [Fact]
    public void ApplyUpdateMetadataRefusesAStaleBrokerEpochButNotAnUnknownOne()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.SetBrokerEpoch(100);

        UpdateMetadataRequest old = UpdateMetadata(1, 1, s_brokers, "", Guid.Empty);
        old.BrokerEpoch = 99;
        Assert.Equal((short)ErrorCode.StaleBrokerEpoch, cache.ApplyUpdateMetadata(old, 8).ErrorCode);
        Assert.Equal(-1, cache.Current.ControllerId);

        UpdateMetadataRequest unknown = UpdateMetadata(1, 1, s_brokers, "", Guid.Empty);
        Assert.Equal(0, cache.ApplyUpdateMetadata(unknown, 8).ErrorCode);

        UpdateMetadataRequest newer = UpdateMetadata(1, 1, s_brokers, "", Guid.Empty);
        newer.BrokerEpoch = 101;
        Assert.Equal(0, cache.ApplyUpdateMetadata(newer, 8).ErrorCode);
    }

    [Fact]
    public void ApplyUpdateMetadataRemovesATopicWhoseLeaderIsLeaderDuringDelete()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, s_brokers, "orders", s_topicId, (0, 0, 0, [0]), (1, 1, 0, [1])), 8);
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, 0, 0, [0])), 7);

        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, s_brokers, "orders", s_topicId, (0, -2, 0, [0])), 8);
        Assert.True(cache.Current.TryGetTopic("orders", out _)); // partition 1 remains

        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, s_brokers, "orders", s_topicId, (1, -2, 0, [1])), 8);
        Assert.False(cache.Current.TryGetTopic("orders", out _));
        Assert.False(cache.IsHostedLocally("orders", 0));
    }

    [Fact]
    public void ApplyUpdateMetadataReadsEveryVersionsBrokerLayout()
    {
        ControllerFedMetadataCache cache = NewCache();
        UpdateMetadataRequest v0 = UpdateMetadata(1, 1, [ControllerRequests.Broker(7, 19092, "ignored")], "", Guid.Empty);
        cache.ApplyUpdateMetadata(v0, 0);
        BrokerNode broker = cache.Current.GetBroker(7)!;
        Assert.Equal(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 19092, SecurityProtocol.Plaintext), Assert.Single(broker.Endpoints));
        Assert.Null(broker.Rack);

        // v1–2 name listeners after their security protocol; v2 adds racks.
        UpdateMetadataRequest v2 = UpdateMetadata(1, 1, [ControllerRequests.Broker(7, 19093, "rack-a")], "", Guid.Empty);
        v2.LiveBrokers[0].Endpoints[0].Listener = "";
        cache.ApplyUpdateMetadata(v2, 2);
        broker = cache.Current.GetBroker(7)!;
        Assert.Equal("PLAINTEXT", broker.Endpoints[0].ListenerName);
        Assert.Equal("rack-a", broker.Rack);

        // v4 and older list partitions ungrouped and carry no topic id: held back until one is known.
        var v4 = new UpdateMetadataRequest
        {
            ControllerEpoch = 1,
            ControllerId = 1,
            LiveBrokers = [ControllerRequests.Broker(7, 19093)],
            UngroupedPartitionStates = [new UpdateMetadataRequest.UpdateMetadataPartitionState { TopicName = "legacy", PartitionIndex = 0, Leader = 7, Replicas = [7], Isr = [7] }],
        };
        cache.ApplyUpdateMetadata(v4, 4);
        Assert.False(cache.Current.TryGetTopic("legacy", out _));
        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, [ControllerRequests.Broker(7, 19093)], "legacy", s_topicId), 8);
        Assert.True(cache.Current.TryGetTopic("legacy", out TopicState? legacy));
        Assert.Equal(7, legacy.Partitions[0].Leader);
    }

    [Fact]
    public void ApplyLeaderAndIsrMakesThisBrokerLeaderOrFollower()
    {
        ControllerFedMetadataCache cache = NewCache();

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 1, [0, 1]), (1, 1, 1, [1, 0])), 7);

        Assert.Equal(0, response.ErrorCode);
        LeaderAndIsrResponse.LeaderAndIsrTopicError topic = Assert.Single(response.Topics);
        Assert.Equal(s_topicId, topic.TopicId);
        Assert.All(topic.PartitionErrors, e => Assert.Equal(0, e.ErrorCode));
        Assert.True(cache.IsHostedLocally("orders", 0));
        Assert.True(cache.IsHostedLocally("orders", 1));
        TopicState state = cache.Current.TopicsByName["orders"];
        Assert.Equal(Self, state.Partitions[0].Leader);
        Assert.Equal(1, state.Partitions[1].Leader);
    }

    [Fact]
    public void ApplyLeaderAndIsrAnswersStaleControllerEpochForAnOlderOrEqualLeaderEpoch()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 5, [0, 1])), 7);

        LeaderAndIsrResponse older = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, 1, 4, [0, 1])), 7);
        LeaderAndIsrResponse equal = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, 1, 5, [0, 1])), 7);

        Assert.Equal([ErrorCode.StaleControllerEpoch], Errors(older));
        Assert.Equal([ErrorCode.StaleControllerEpoch], Errors(equal));
        Assert.Equal(0, older.ErrorCode);
        Assert.Equal(Self, cache.Current.TopicsByName["orders"].Partitions[0].Leader);
    }

    [Fact]
    public void ApplyLeaderAndIsrTakesANewerLeaderEpochFromANewerController()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 5, [0, 1])), 7);

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(2, "orders", s_topicId, (0, 1, 6, [0, 1])), 7);

        Assert.Equal([ErrorCode.None], Errors(response));
        PartitionState state = cache.Current.TopicsByName["orders"].Partitions[0];
        Assert.Equal(1, state.Leader);
        Assert.Equal(6, state.LeaderEpoch);
    }

    [Fact]
    public void ApplyLeaderAndIsrRefusesEveryPartitionWhenTheControllerEpochIsStale()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(3, "orders", s_topicId, (0, Self, 1, [0])), 7);

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(2, "orders", s_topicId, (0, 1, 9, [0, 1]), (1, Self, 9, [0])), 7);

        Assert.Equal((short)ErrorCode.StaleControllerEpoch, response.ErrorCode);
        Assert.Equal([ErrorCode.StaleControllerEpoch, ErrorCode.StaleControllerEpoch], Errors(response));
        Assert.Equal(Self, cache.Current.TopicsByName["orders"].Partitions[0].Leader);
        Assert.False(cache.IsHostedLocally("orders", 1));
    }

    [Fact]
    public void ApplyLeaderAndIsrRefusesAStaleBrokerEpoch()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.SetBrokerEpoch(50);
        LeaderAndIsrRequest request = LeaderAndIsr(1, "orders", s_topicId, (0, Self, 1, [0]));
        request.BrokerEpoch = 49;

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(request, 7);

        Assert.Equal((short)ErrorCode.StaleBrokerEpoch, response.ErrorCode);
        Assert.Equal([ErrorCode.StaleBrokerEpoch], Errors(response));
        Assert.False(cache.IsHostedLocally("orders", 0));
    }

    [Fact]
    public void ApplyLeaderAndIsrAnswersUnknownTopicOrPartitionWhenThisBrokerIsNotAReplica()
    {
        ControllerFedMetadataCache cache = NewCache();

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, 1, 1, [1, 2])), 7);

        Assert.Equal([ErrorCode.UnknownTopicOrPartition], Errors(response));
        Assert.False(cache.IsHostedLocally("orders", 0));
    }

    [Fact]
    public void ApplyLeaderAndIsrAnswersInconsistentTopicIdWhenTheTopicWasRecreated()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 1, [0])), 7);

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", Guid.NewGuid(), (0, Self, 2, [0])), 7);

        Assert.Equal([ErrorCode.InconsistentTopicId], Errors(response));
    }

    [Fact]
    public void ApplyLeaderAndIsrAnswersKafkaStorageErrorForALogInAnOfflineDir()
    {
        ControllerFedMetadataCache cache = NewCache();
        var offline = new TopicPartition("orders", 1);

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 1, [0]), (1, Self, 1, [0])), 7, tp => tp == offline);

        Assert.Equal([ErrorCode.None, ErrorCode.KafkaStorageError], Errors(response));
        Assert.True(cache.IsHostedLocally("orders", 0));
        Assert.False(cache.IsHostedLocally("orders", 1));
    }

    [Fact]
    public void ApplyLeaderAndIsrAnswersPartitionErrorsUngroupedBeforeVersion5()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, s_brokers, "orders", s_topicId, (0, 1, 0, [1, 0])), 8);

        LeaderAndIsrResponse response = cache.ApplyLeaderAndIsr(LeaderAndIsrV1(1, "orders", (0, Self, 1, [0, 1]), (1, 1, 0, [1, 2])), 1);

        Assert.Empty(response.Topics);
        Assert.Equal(
            [("orders", 0, ErrorCode.None), ("orders", 1, ErrorCode.UnknownTopicOrPartition)],
            response.PartitionErrors.Select(e => (e.TopicName, e.PartitionIndex, (ErrorCode)e.ErrorCode)));

        // The topic id came from UpdateMetadata, so the v1 partition joins the image under it.
        Assert.Equal(Self, cache.Current.TopicsById[s_topicId].Partitions[0].Leader);
    }

    [Fact]
    public void CurrentShowsTheNewerLeaderEpochOfUpdateMetadataAndLeaderAndIsr()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 3, [0, 1])), 7);

        // The controller moved leadership to broker 1; this broker hears it from UpdateMetadata first.
        cache.ApplyUpdateMetadata(UpdateMetadata(2, 1, s_brokers, "orders", s_topicId, (0, 1, 4, [0, 1])), 8);
        Assert.Equal(1, cache.Current.TopicsByName["orders"].Partitions[0].Leader);

        // An older UpdateMetadata state does not hide the LeaderAndIsr one.
        cache.ApplyLeaderAndIsr(LeaderAndIsr(2, "orders", s_topicId, (0, Self, 5, [0, 1])), 7);
        Assert.Equal(Self, cache.Current.TopicsByName["orders"].Partitions[0].Leader);
    }

    [Fact]
    public void CurrentShowsPartitionsNotYetKnownAsLeaderless()
    {
        ControllerFedMetadataCache cache = NewCache();

        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (2, Self, 0, [0])), 7);

        TopicState topic = cache.Current.TopicsByName["orders"];
        Assert.Equal(3, topic.Partitions.Count);
        Assert.Equal(-1, topic.Partitions[0].Leader);
        Assert.Equal(Self, topic.Partitions[2].Leader);
    }

    [Fact]
    public void ApplyStopReplicaWithDeleteStopsHostingAndListsTheLogForDeletion()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 2, [0]), (1, Self, 2, [0])), 7);

        StopReplicaOutcome outcome = cache.ApplyStopReplica(StopReplica(1, "orders", (0, 2, true), (1, 2, false), (5, ControllerFedMetadataCache.EpochDuringDelete, true)), 4);

        Assert.Equal(0, outcome.Response.ErrorCode);
        Assert.All(outcome.Response.PartitionErrors, e => Assert.Equal(0, e.ErrorCode));
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 5)], outcome.PartitionsToDelete);
        Assert.False(cache.IsHostedLocally("orders", 0));
        Assert.True(cache.IsHostedLocally("orders", 1)); // stopped, log kept
        Assert.Equal(-1, cache.Current.TopicsByName["orders"].Partitions[1].Leader); // no longer served from here
    }

    [Fact]
    public void ApplyStopReplicaAnswersFencedLeaderEpochForAnOlderLeaderEpoch()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 4, [0])), 7);

        StopReplicaOutcome outcome = cache.ApplyStopReplica(StopReplica(1, "orders", (0, 3, true)), 3);

        Assert.Equal((short)ErrorCode.FencedLeaderEpoch, Assert.Single(outcome.Response.PartitionErrors).ErrorCode);
        Assert.Empty(outcome.PartitionsToDelete);
        Assert.True(cache.IsHostedLocally("orders", 0));
    }

    [Fact]
    public void ApplyStopReplicaRefusesAStaleControllerOrBrokerEpochWithATopLevelError()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.SetBrokerEpoch(10);
        cache.ApplyLeaderAndIsr(LeaderAndIsr(4, "orders", s_topicId, (0, Self, 1, [0])), 7);

        StopReplicaOutcome staleController = cache.ApplyStopReplica(StopReplica(3, "orders", (0, 1, true)), 4);
        StopReplicaRequest oldBroker = StopReplica(4, "orders", (0, 1, true));
        oldBroker.BrokerEpoch = 9;
        StopReplicaOutcome staleBroker = cache.ApplyStopReplica(oldBroker, 4);

        Assert.Equal((short)ErrorCode.StaleControllerEpoch, staleController.Response.ErrorCode);
        Assert.Empty(staleController.Response.PartitionErrors);
        Assert.Equal((short)ErrorCode.StaleBrokerEpoch, staleBroker.Response.ErrorCode);
        Assert.True(cache.IsHostedLocally("orders", 0));
    }

    [Fact]
    public void ApplyStopReplicaReadsTheVersion0And1Layouts()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyLeaderAndIsr(LeaderAndIsr(1, "orders", s_topicId, (0, Self, 7, [0]), (1, Self, 7, [0])), 7);

        var v0 = new StopReplicaRequest { ControllerEpoch = 1, DeletePartitions = true, UngroupedPartitions = [new() { TopicName = "orders", PartitionIndex = 0 }] };
        var v1 = new StopReplicaRequest { ControllerEpoch = 1, DeletePartitions = true, Topics = [new() { Name = "orders", PartitionIndexes = [1] }] };

        Assert.Equal([new TopicPartition("orders", 0)], cache.ApplyStopReplica(v0, 0).PartitionsToDelete);
        Assert.Equal([new TopicPartition("orders", 1)], cache.ApplyStopReplica(v1, 1).PartitionsToDelete);
    }

    [Fact]
    public void SetTopicConfigsAndSetBrokerConfigsReachTheImage()
    {
        ControllerFedMetadataCache cache = NewCache();
        cache.ApplyUpdateMetadata(UpdateMetadata(1, 1, s_brokers, "orders", s_topicId, (0, 1, 0, [1])), 8);
        int changes = 0;
        cache.Changed += (_, _) => changes++;

        cache.SetTopicConfigs("orders", new Dictionary<string, string> { ["retention.ms"] = "1000" });
        cache.SetBrokerConfigs(null, new Dictionary<string, string> { ["log.retention.ms"] = "5000" });
        cache.SetBrokerConfigs(Self, new Dictionary<string, string> { ["log.cleaner.threads"] = "2" });

        Assert.Equal(3, changes);
        Assert.Equal("1000", cache.Current.TopicsByName["orders"].Configs["retention.ms"]);
        Assert.Equal("5000", cache.Current.BrokerConfigs.ClusterDefault["log.retention.ms"]);
        Assert.Equal("2", cache.Current.BrokerConfigs.For(Self)["log.cleaner.threads"]);

        cache.SetTopicConfigs("orders", new Dictionary<string, string>());
        Assert.Empty(cache.Current.TopicsByName["orders"].Configs);
    }
}
