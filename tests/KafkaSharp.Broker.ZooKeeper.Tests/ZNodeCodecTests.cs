using System.Text;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.ZooKeeper.Layout;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>The znode codecs read what Kafka brokers and tools write (samples in Kafka's shapes) and reject the rest by path.</summary>
public sealed class ZNodeCodecTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void BrokerRegistrationDecodesKafkasVersion5AndRoundTrips()
    {
        const string written = """{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","REPLICATION":"SASL_SSL"},"endpoints":["PLAINTEXT://kafka-1:9092","REPLICATION://[::1]:9093"],"jmx_port":9999,"host":"kafka-1","timestamp":"1700000000000","port":9092,"version":5,"rack":"eu-1a"}""";
        BrokerNode broker = BrokerRegistrationZNode.Decode(3, Utf8(written));
        Assert.Equal(3, broker.Id);
        Assert.Equal("eu-1a", broker.Rack);
        Assert.Equal(new BrokerEndpoint("PLAINTEXT", "kafka-1", 9092, SecurityProtocol.Plaintext), broker.Endpoints[0]);
        Assert.Equal(new BrokerEndpoint("REPLICATION", "::1", 9093, SecurityProtocol.SaslSsl), broker.Endpoints[1]);

        BrokerNode again = BrokerRegistrationZNode.Decode(3, BrokerRegistrationZNode.Encode(broker, 1));
        Assert.Equal(broker.Rack, again.Rack);
        Assert.Equal(broker.Endpoints[0], again.Endpoints[0]);
    }

    [Fact]
    public void BrokerRegistrationDecodesTheOldHostPortForm()
    {
        BrokerNode broker = BrokerRegistrationZNode.Decode(1, Utf8("""{"jmx_port":-1,"timestamp":"1","host":"h","version":1,"port":9092}"""));
        Assert.Equal(new BrokerEndpoint("PLAINTEXT", "h", 9092, SecurityProtocol.Plaintext), Assert.Single(broker.Endpoints));
        Assert.Null(broker.Rack);
    }

    [Fact]
    public void RegistrationWithoutPlaintextWritesNullHostAndPortMinusOne()
    {
        var broker = new BrokerNode(1, null, [new BrokerEndpoint("SSL", "h", 9093, SecurityProtocol.Ssl)]);
        string json = Encoding.UTF8.GetString(BrokerRegistrationZNode.Encode(broker, 5));
        Assert.Contains("\"host\":null", json);
        Assert.Contains("\"port\":-1", json);
        Assert.DoesNotContain("rack", json);
    }

    [Fact]
    public void TopicZNodeReadsVersion1WithoutIdAndVersion3WithReassignment()
    {
        TopicAssignment old = TopicZNode.Decode("t", Utf8("""{"version":1,"partitions":{"1":[2,3],"0":[1,2]}}"""));
        Assert.Null(old.TopicId);
        Assert.Equal([[1, 2], [2, 3]], old.InOrder()!.Select(r => r.ToArray()));

        Guid id = KafkaUuid.NewId();
        var ongoing = new TopicAssignment(id,
            new Dictionary<int, IReadOnlyList<int>> { [0] = [4, 1] },
            new Dictionary<int, IReadOnlyList<int>> { [0] = [4] },
            new Dictionary<int, IReadOnlyList<int>> { [0] = [1] });
        string json = Encoding.UTF8.GetString(TopicZNode.Encode(ongoing));
        Assert.Equal($$"""{"partitions":{"0":[4,1]},"topic_id":"{{KafkaUuid.ToString(id)}}","adding_replicas":{"0":[4]},"removing_replicas":{"0":[1]},"version":3}""", json);
        TopicAssignment back = TopicZNode.Decode("t", Utf8(json));
        Assert.Equal(id, back.TopicId);
        Assert.Equal([4], back.AddingReplicas[0]);
        Assert.Equal([1], back.RemovingReplicas[0]);
    }

    [Fact]
    public void TopicZNodeWithAGapInPartitionNumbersHasNoOrder() =>
        Assert.Null(TopicZNode.Decode("t", Utf8("""{"version":2,"partitions":{"0":[1],"2":[1]}}""")).InOrder());

    [Fact]
    public void PartitionStateReadsKafkasFieldsIncludingLeaderRecoveryState()
    {
        LeaderAndIsr state = PartitionStateZNode.Decode("t", 0, Utf8("""{"controller_epoch":7,"leader":2,"version":1,"leader_epoch":4,"isr":[2,3],"leader_recovery_state":0}"""), 12);
        Assert.Equal(new LeaderAndIsr(2, 4, state.Isr, 7, 12), state);
        Assert.Equal([2, 3], state.Isr);
        Assert.Equal("""{"controller_epoch":1,"leader":-1,"version":1,"leader_epoch":0,"isr":[]}""",
            Encoding.UTF8.GetString(PartitionStateZNode.Encode(new LeaderAndIsr(-1, 0, [], 1))));
    }

    [Fact]
    public void ConfigAndNotificationZNodesHaveKafkasShape()
    {
        Assert.Equal("""{"version":1,"config":{"a":"1","b":"x"}}""",
            Encoding.UTF8.GetString(ConfigZNode.Encode(new Dictionary<string, string> { ["b"] = "x", ["a"] = "1" })));
        Assert.Equal("x", ConfigZNode.Decode("/config/topics/t", Utf8("""{"version":1,"config":{"b":"x"}}"""))["b"]);
        Assert.Empty(ConfigZNode.Decode("/config/topics/t", []));
        Assert.Equal("""{"version":2,"entity_path":"topics/t"}""", Encoding.UTF8.GetString(ConfigChangeNotificationZNode.Encode("topics/t")));
    }

    [Fact]
    public void ClusterControllerAndAdminZNodesRoundTrip()
    {
        Assert.Equal("""{"version":"1","id":"abc"}""", Encoding.UTF8.GetString(ClusterIdZNode.Encode("abc")));
        Assert.Equal("abc", ClusterIdZNode.Decode(ClusterIdZNode.Encode("abc")));
        Assert.Equal(4, ControllerZNode.Decode(Utf8("""{"version":1,"brokerid":4,"timestamp":"1"}""")));
        Assert.Equal(12, ControllerEpochZNode.Decode(ControllerEpochZNode.Encode(12)));
        var targets = new Dictionary<(string, int), IReadOnlyList<int>> { [("t", 1)] = [3, 4] };
        Assert.Equal("""{"version":1,"partitions":[{"topic":"t","partition":1,"replicas":[3,4]}]}""", Encoding.UTF8.GetString(ReassignPartitionsZNode.Encode(targets)));
        Assert.Equal([3, 4], ReassignPartitionsZNode.Decode(ReassignPartitionsZNode.Encode(targets))[("t", 1)]);
        Assert.Equal([("t", 0)], PartitionListZNode.Decode("/admin/preferred_replica_election", PartitionListZNode.Encode([("t", 0)])));
        Assert.Equal("""{"version":1,"broker":2,"event":1}""", Encoding.UTF8.GetString(LogDirEventZNode.Encode(2)));
        Assert.Equal("""{"version":1,"status":1,"features":{}}""", Encoding.UTF8.GetString(FeatureZNode.Encode()));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"version":3}""")]
    [InlineData("""{"version":3,"partitions":{"0":"one"}}""")]
    [InlineData("""{"version":3,"partitions":{"x":[1]}}""")]
    public void MalformedTopicZNodesFailNamingThePath(string text)
    {
        MalformedZNodeException e = Assert.Throws<MalformedZNodeException>(() => TopicZNode.Decode("orders", Utf8(text)));
        Assert.Equal("/brokers/topics/orders", e.Path);
        Assert.Contains("/brokers/topics/orders", e.Message);
    }

    [Fact]
    public void MalformedStatesConfigsAndRegistrationsFailNamingThePath()
    {
        Assert.Equal("/brokers/topics/t/partitions/3/state", Assert.Throws<MalformedZNodeException>(() => PartitionStateZNode.Decode("t", 3, Utf8("""{"leader":1}"""), 0)).Path);
        Assert.Equal("/config/topics/t", Assert.Throws<MalformedZNodeException>(() => ConfigZNode.Decode("/config/topics/t", Utf8("""{"config":{"a":1}}"""))).Path);
        Assert.Equal("/brokers/ids/5", Assert.Throws<MalformedZNodeException>(() => BrokerRegistrationZNode.Decode(5, Utf8("""{"endpoints":["nonsense"]}"""))).Path);
        Assert.Equal("/controller_epoch", Assert.Throws<MalformedZNodeException>(() => ControllerEpochZNode.Decode(Utf8("x"))).Path);
    }
}
