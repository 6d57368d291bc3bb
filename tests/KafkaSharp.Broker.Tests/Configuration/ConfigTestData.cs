using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

/// <summary>Shared inputs for the configuration tests.</summary>
internal static class ConfigTestData
{
    /// <summary>
    /// The settings of Kafka 3.9's stock config/server.properties (ZooKeeper mode), comments in our own words.
    /// </summary>
    public const string StockServerProperties = """
        # Server basics: this broker's id, unique in the cluster.
        broker.id=0

        # Socket server settings.
        #listeners=PLAINTEXT://:9092
        #advertised.listeners=PLAINTEXT://your.host.name:9092
        #listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
        num.network.threads=3
        num.io.threads=8
        socket.send.buffer.bytes=102400
        socket.receive.buffer.bytes=102400
        socket.request.max.bytes=104857600

        # Log basics.
        log.dirs=/tmp/kafka-logs
        num.partitions=1
        num.recovery.threads.per.data.dir=1

        # Internal topic settings: replication factor 1 suits a development broker.
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1

        # Log flush policy (commented out in the stock file).
        #log.flush.interval.messages=10000
        #log.flush.interval.ms=1000

        # Log retention policy.
        log.retention.hours=168
        #log.retention.bytes=1073741824
        #log.segment.bytes=1073741824
        log.retention.check.interval.ms=300000

        # ZooKeeper.
        zookeeper.connect=localhost:2181
        zookeeper.connection.timeout.ms=18000

        # Group coordinator.
        group.initial.rebalance.delay.ms=0
        """;

    /// <summary>Parses "key=value" lines as a properties file.</summary>
    public static IReadOnlyDictionary<string, string> Props(params string[] lines) =>
        JavaProperties.Parse(string.Join('\n', lines));

    /// <summary>A broker from a file holding <paramref name="lines"/>.</summary>
    public static BrokerConfig FromLines(params string[] lines) => BrokerConfig.Create(Props(lines));
}
