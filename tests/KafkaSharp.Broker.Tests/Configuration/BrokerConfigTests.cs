using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

public class BrokerConfigTests
{
    [Fact]
    public void CreateAcceptsStockServerPropertiesWhenLoaded()
    {
        var config = BrokerConfig.Create(JavaProperties.Parse(StockServerProperties));

        Assert.Equal(0, config.BrokerId);
        Assert.Equal(["/tmp/kafka-logs"], config.LogDirs);
        Assert.Equal(1, config.NumPartitions);
        Assert.Equal(3, config.NumNetworkThreads);
        Assert.Equal(8, config.NumIoThreads);
        Assert.Equal(104857600, config.SocketRequestMaxBytes);
        Assert.Equal((short)1, config.OffsetsTopicReplicationFactor);
        Assert.Equal(168L * 3600 * 1000, config.LogRetentionMs);
        Assert.Equal("localhost:2181", config.ZooKeeperConnect);
        Assert.Equal(18000, config.ZooKeeperConnectionTimeoutMs);
        Assert.Equal(0, config.GroupInitialRebalanceDelayMs);
    }

    [Fact]
    public void CreateAcceptsSecuredMultiListenerFileWhenWrittenForKafka()
    {
        var config = FromLines(
            "broker.id=2",
            "broker.rack=eu-west-1a",
            "listeners=INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094",
            "advertised.listeners=INTERNAL://kafka-2.internal:9092,EXTERNAL://kafka-2.example.com:9094",
            "listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL",
            "inter.broker.listener.name=INTERNAL",
            "sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN",
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
            "listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\" password=\"pw\";",
            "listener.name.external.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required;",
            "ssl.keystore.location=/etc/kafka/keystore.jks",
            "ssl.keystore.password=changeit",
            "ssl.key.password=changeit",
            "ssl.truststore.location=/etc/kafka/truststore.jks",
            "ssl.truststore.password=changeit",
            "ssl.client.auth=requested",
            "ssl.endpoint.identification.algorithm=",
            "authorizer.class.name=kafka.security.authorizer.AclAuthorizer",
            "super.users=User:broker;User:admin",
            "allow.everyone.if.no.acl.found=false",
            "log.dirs=/data/1/kafka,/data/2/kafka",
            "num.partitions=12",
            "default.replication.factor=3",
            "min.insync.replicas=2",
            "unclean.leader.election.enable=false",
            "auto.create.topics.enable=false",
            "log.retention.hours=72",
            "log.segment.bytes=536870912",
            "compression.type=zstd",
            "zookeeper.connect=zk1:2181,zk2:2181,zk3:2181/kafka",
            "zookeeper.session.timeout.ms=30000",
            "zookeeper.set.acl=true",
            "group.initial.rebalance.delay.ms=3000",
            "inter.broker.protocol.version=3.9");

        Assert.Equal(2, config.BrokerId);
        Assert.Equal("eu-west-1a", config.BrokerRack);
        Assert.Equal([SecurityProtocol.SaslPlaintext, SecurityProtocol.SaslSsl], config.Listeners.Select(l => l.SecurityProtocol));
        Assert.Equal("kafka-2.example.com", config.AdvertisedListeners[1].Host);
        Assert.Equal(["/data/1/kafka", "/data/2/kafka"], config.LogDirs);
        Assert.Equal(3L * 24 * 3600 * 1000, config.LogRetentionMs);
        Assert.Equal("zk1:2181,zk2:2181,zk3:2181/kafka", config.ZooKeeperConnect);
        Assert.Equal(30000, config.ZooKeeperConnectionTimeoutMs);
        Assert.Equal(2, config.MinInsyncReplicas);
        Assert.Equal("zstd", config.CompressionType);
    }

    [Fact]
    public void CreateUsesKafkaDefaultsWhenFileLeavesThemOut()
    {
        var config = FromLines("broker.id=1");

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(new ListenerEndpoint("PLAINTEXT", null, 9092, SecurityProtocol.Plaintext), listener);
        Assert.Equal(["/tmp/kafka-logs"], config.LogDirs);
        Assert.Equal(1073741824, config.LogSegmentBytes);
        Assert.Equal(1048588, config.MessageMaxBytes);
        Assert.Equal(600000L, config.ConnectionsMaxIdleMs);
        Assert.Equal(50, config.OffsetsTopicNumPartitions);
        Assert.Equal((short)3, config.OffsetsTopicReplicationFactor);
        Assert.True(config.AutoCreateTopicsEnable);
        Assert.Equal(1, config.DefaultReplicationFactor);
        Assert.Null(config.ZooKeeperConnect);
        Assert.Equal(18000, config.ZooKeeperConnectionTimeoutMs);
    }

    [Fact]
    public void CreateUsesEmbeddedDefaultsWhenThereIsNoFile()
    {
        var config = BrokerConfig.Create(fileProperties: null);

        Assert.Equal(0, config.BrokerId);
        Assert.Equal(new ListenerEndpoint("PLAINTEXT", "127.0.0.1", 9092, SecurityProtocol.Plaintext), Assert.Single(config.Listeners));
        Assert.Equal(config.Listeners, config.AdvertisedListeners);
        Assert.Equal([BrokerConfig.EmbeddedDataDirectory], config.LogDirs);
        Assert.Equal((short)1, config.OffsetsTopicReplicationFactor);
        Assert.Equal((short)1, config.TransactionStateLogReplicationFactor);
    }

    [Fact]
    public void CreateKeepsBrokerIdUnsetWhenFileOmitsIt()
    {
        Assert.Equal(-1, FromLines("num.partitions=2").BrokerId);
    }

    [Fact]
    public void CreateTakesNodeIdAsBrokerIdWhenOnlyNodeIdIsSet()
    {
        Assert.Equal(7, FromLines("node.id=7").BrokerId);
    }

    [Fact]
    public void CreateThrowsWhenNodeIdDiffersFromBrokerId()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("broker.id=1", "node.id=2"));

        Assert.Equal("node.id", error.Key);
    }

    [Theory]
    [InlineData("broker.id=1001")]
    [InlineData("broker.id=-2")]
    public void CreateThrowsNamingBrokerIdWhenOutOfRange(string line)
    {
        var error = Assert.Throws<ConfigException>(() => FromLines(line));

        Assert.Equal("broker.id", error.Key);
    }

    [Fact]
    public void CreateThrowsNamingKeyWhenKeyIsUnknown()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("broker.id=0", "num.partition=3"));

        Assert.Equal("num.partition", error.Key);
        Assert.Contains("num.partition", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("num.partitions=-1", "num.partitions", "[1,...]")]
    [InlineData("num.partitions=0", "num.partitions", "[1,...]")]
    [InlineData("num.partitions=three", "num.partitions", "INT")]
    [InlineData("num.partitions=3000000000", "num.partitions", "INT")]
    [InlineData("log.segment.bytes=13", "log.segment.bytes", "[14,...]")]
    [InlineData("auto.create.topics.enable=yes", "auto.create.topics.enable", "true or false")]
    [InlineData("log.retention.ms=soon", "log.retention.ms", "LONG")]
    [InlineData("offsets.topic.replication.factor=40000", "offsets.topic.replication.factor", "SHORT")]
    [InlineData("log.cleaner.min.cleanable.ratio=1.5", "log.cleaner.min.cleanable.ratio", "[0,...,1]")]
    [InlineData("compression.type=brotli", "compression.type", "[uncompressed, zstd, lz4, snappy, gzip, producer]")]
    [InlineData("log.cleanup.policy=compact,erase", "log.cleanup.policy", "erase")]
    [InlineData("log.message.timestamp.type=createtime", "log.message.timestamp.type", "LogAppendTime")]
    [InlineData("security.inter.broker.protocol=TLS", "security.inter.broker.protocol", "SASL_SSL")]
    [InlineData("inter.broker.protocol.version=9.9", "inter.broker.protocol.version", "valid version")]
    [InlineData("compression.gzip.level=0", "compression.gzip.level", "[1,...,9] or -1")]
    [InlineData("controller.quorum.voters=1@localhost", "controller.quorum.voters", "id@host:port")]
    [InlineData("controller.quorum.bootstrap.servers=localhost", "controller.quorum.bootstrap.servers", "host:port")]
    [InlineData("alter.config.policy.class.name=1Bad", "alter.config.policy.class.name", "class")]
    public void CreateThrowsNamingKeyValueAndRuleWhenValueIsInvalid(string line, string key, string rule)
    {
        var error = Assert.Throws<ConfigException>(() => FromLines(line));

        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(line[(line.IndexOf('=') + 1)..], error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAcceptsValueWhenItIsAReleaseOrMetadataVersion()
    {
        var config = FromLines("inter.broker.protocol.version=3.9", "log.message.format.version=0.10.2");

        Assert.Equal("3.9", config.GetString("inter.broker.protocol.version"));
    }

    [Fact]
    public void CreateTrimsValuesAndIgnoresBooleanCaseWhenParsing()
    {
        var config = FromLines("num.partitions=  4  ", "auto.create.topics.enable=FALSE", "log.dirs= /a , /b ");

        Assert.Equal(4, config.NumPartitions);
        Assert.False(config.AutoCreateTopicsEnable);
        Assert.Equal(["/a", "/b"], config.LogDirs);
    }

    [Fact]
    public void CreateLetsOverridesWinWhenFileSetsTheSameKey()
    {
        var config = BrokerConfig.Create(Props("num.partitions=2", "broker.id=3"), Props("num.partitions=6"));

        Assert.Equal(6, config.NumPartitions);
        Assert.Equal(3, config.BrokerId);
    }

    [Fact]
    public void CreateValidatesOverridesWhenInvalid()
    {
        var error = Assert.Throws<ConfigException>(() => BrokerConfig.Create(Props("broker.id=0"), Props("bogus.key=1")));

        Assert.Equal("bogus.key", error.Key);
    }

    [Fact]
    public void LogDirsFallsBackToLogDirWhenLogDirsIsUnset()
    {
        Assert.Equal(["/data/kafka"], FromLines("log.dir=/data/kafka").LogDirs);
        Assert.Equal(["/x", "/y"], FromLines("log.dir=/data/kafka", "log.dirs=/x,/y").LogDirs);
    }

    [Fact]
    public void CreateThrowsWhenNoLogDirectoryRemains()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("log.dirs=,"));

        Assert.Equal("log.dirs", error.Key);
    }

    [Theory]
    [InlineData(new[] { "log.retention.hours=1" }, 3_600_000L)]
    [InlineData(new[] { "log.retention.minutes=5", "log.retention.hours=1" }, 300_000L)]
    [InlineData(new[] { "log.retention.ms=1234", "log.retention.minutes=5", "log.retention.hours=1" }, 1234L)]
    [InlineData(new[] { "log.retention.ms=-1", "log.retention.hours=1" }, -1L)]
    [InlineData(new[] { "log.retention.hours=-5" }, -1L)]
    [InlineData(new string[0], 604_800_000L)]
    public void LogRetentionMsFollowsKafkaPrecedenceWhenSeveralUnitsAreSet(string[] lines, long expected)
    {
        Assert.Equal(expected, FromLines(lines).LogRetentionMs);
    }

    [Fact]
    public void CreateThrowsNamingRetentionKeyWhenRetentionIsZero()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("log.retention.minutes=0"));

        Assert.Equal("log.retention.minutes", error.Key);
    }

    [Fact]
    public void LogRollMsPrefersMillisecondsWhenBothAreSet()
    {
        Assert.Equal(2L * 3_600_000, FromLines("log.roll.hours=2").LogRollMs);
        Assert.Equal(500L, FromLines("log.roll.hours=2", "log.roll.ms=500").LogRollMs);
    }

    [Fact]
    public void LogFlushIntervalMsFallsBackToSchedulerIntervalWhenUnset()
    {
        Assert.Equal(long.MaxValue, FromLines().LogFlushIntervalMs);
        Assert.Equal(1000L, FromLines("log.flush.scheduler.interval.ms=1000").LogFlushIntervalMs);
        Assert.Equal(10L, FromLines("log.flush.scheduler.interval.ms=1000", "log.flush.interval.ms=10").LogFlushIntervalMs);
    }

    [Fact]
    public void CreateThrowsWhenReplicaFetchWaitExceedsSocketTimeout()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("replica.fetch.wait.max.ms=40000", "replica.socket.timeout.ms=30000"));

        Assert.Contains("replica.fetch.wait.max.ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateThrowsWhenDedupeBufferIsUnderOneMegabytePerCleanerThread()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("log.cleaner.dedupe.buffer.size=4194304", "log.cleaner.threads=4"));

        Assert.Equal("log.cleaner.dedupe.buffer.size", error.Key);
    }

    [Fact]
    public void CreateAcceptsZeroCleanerThreadsWhenSet()
    {
        Assert.Equal(0, FromLines("log.cleaner.threads=0").GetInt("log.cleaner.threads"));
    }

    [Fact]
    public void CreateThrowsWhenProcessRolesAskForKRaft()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("process.roles=broker,controller"));

        Assert.Equal("process.roles", error.Key);
    }

    [Theory]
    [InlineData("listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required;")]
    [InlineData("listener.name.internal.ssl.keystore.location=/etc/kafka/internal.jks")]
    [InlineData("listener.name.external.scram-sha-256.sasl.server.callback.handler.class=com.example.Handler")]
    [InlineData("listener.name.external.max.connections=100")]
    [InlineData("super.users=User:admin;User:kafka")]
    [InlineData("allow.everyone.if.no.acl.found=true")]
    [InlineData("rsm.config.bucket=my-bucket")]
    [InlineData("rlmm.config.remote.log.metadata.topic.replication.factor=1")]
    [InlineData("ssl.keystore.password=secret")]
    [InlineData("sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256")]
    [InlineData("log.cleaner.threads=2")]
    [InlineData("unstable.api.versions.enable=true")]
    [InlineData("controller.quorum.voters=1@localhost:9093,2@[::1]:9093")]
    public void CreateAcceptsKeyWhenKafkaKnowsIt(string line)
    {
        var key = line[..line.IndexOf('=')];

        var config = FromLines(line);

        Assert.Equal(line[(key.Length + 1)..], config.GetOriginal(key));
    }

    [Fact]
    public void CreateValidatesListenerPrefixedValueWhenBaseConfigHasRules()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("listener.name.external.max.connections=-5"));

        Assert.Equal("listener.name.external.max.connections", error.Key);
    }

    [Theory]
    [InlineData("listener.name.external.no.such.config=1")]
    [InlineData("listener.name.external.a.b.sasl.jaas.config=x")]
    [InlineData("leader.replication.throttled.rate=100")]
    public void CreateThrowsNamingKeyWhenPrefixedOrDynamicKeyIsNotAllowed(string line)
    {
        var error = Assert.Throws<ConfigException>(() => FromLines(line));

        Assert.Equal(line[..line.IndexOf('=')], error.Key);
    }

    [Fact]
    public void FromCommandLineReadsFileThenOverridesWhenBothAreGiven()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "broker.id=4\nnum.partitions=2\n");

            var config = BrokerConfig.FromCommandLine([path, "--override", "num.partitions=9", "--override=log.dirs=/d"]);

            Assert.Equal(4, config.BrokerId);
            Assert.Equal(9, config.NumPartitions);
            Assert.Equal(["/d"], config.LogDirs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromCommandLineUsesEmbeddedDefaultsWhenOnlyOverridesAreGiven()
    {
        var config = BrokerConfig.FromCommandLine(["--override", "num.partitions=3"]);

        Assert.Equal(0, config.BrokerId);
        Assert.Equal(3, config.NumPartitions);
        Assert.Equal("127.0.0.1", Assert.Single(config.Listeners).Host);
    }
}
