using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

public class BrokerConfigCatalogTests
{
    [Fact]
    public void DefinitionsHoldEveryDocumentedConfigWhenCounted()
    {
        // Kafka 3.9's broker-configs page lists 314 configs; 14 internal ones are accepted besides.
        Assert.Equal(314, BrokerConfigCatalog.Definitions.Count(d => !d.IsInternal));
        Assert.Equal(14, BrokerConfigCatalog.Definitions.Count(d => d.IsInternal));
    }

    [Fact]
    public void DefaultsParseAndSatisfyValidatorWhenChecked()
    {
        Assert.All(BrokerConfigCatalog.Definitions.Concat(TopicConfigCatalog.All.Select(t => t.Definition)), definition =>
        {
            var value = definition.DefaultValue;
            Assert.Equal(definition.DefaultText is null, value is null);
            Assert.Null(definition.Validator?.Check(value));
        });
    }

    [Fact]
    public void PasswordsAreSensitiveWhenDefined()
    {
        var sensitive = BrokerConfigCatalog.Definitions.Where(d => d.IsSensitive).Select(d => d.Name).ToHashSet();

        Assert.Equal(13, sensitive.Count);
        Assert.Contains("ssl.keystore.password", sensitive);
        Assert.Contains("sasl.jaas.config", sensitive);
        Assert.Contains("delegation.token.secret.key", sensitive);
        Assert.Contains("zookeeper.ssl.truststore.password", sensitive);
    }

    [Theory]
    [InlineData("num.partitions", ConfigType.Int, "1", "[1,...]", ConfigUpdateMode.ReadOnly)]
    [InlineData("log.retention.hours", ConfigType.Int, "168", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("log.retention.ms", ConfigType.Long, null, null, ConfigUpdateMode.ClusterWide)]
    [InlineData("log.segment.bytes", ConfigType.Int, "1073741824", "[14,...]", ConfigUpdateMode.ClusterWide)]
    [InlineData("message.max.bytes", ConfigType.Int, "1048588", "[0,...]", ConfigUpdateMode.ClusterWide)]
    [InlineData("socket.request.max.bytes", ConfigType.Int, "104857600", "[1,...]", ConfigUpdateMode.ReadOnly)]
    [InlineData("connections.max.idle.ms", ConfigType.Long, "600000", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("offsets.topic.num.partitions", ConfigType.Int, "50", "[1,...]", ConfigUpdateMode.ReadOnly)]
    [InlineData("offsets.topic.replication.factor", ConfigType.Short, "3", "[1,...]", ConfigUpdateMode.ReadOnly)]
    [InlineData("zookeeper.connect", ConfigType.String, null, null, ConfigUpdateMode.ReadOnly)]
    [InlineData("zookeeper.session.timeout.ms", ConfigType.Int, "18000", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("log.cleanup.policy", ConfigType.List, "delete", "[compact, delete]", ConfigUpdateMode.ClusterWide)]
    [InlineData("listeners", ConfigType.String, "PLAINTEXT://:9092", null, ConfigUpdateMode.PerBroker)]
    [InlineData("broker.id", ConfigType.Int, "-1", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("log.dir", ConfigType.String, "/tmp/kafka-logs", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("ssl.keystore.password", ConfigType.Password, null, null, ConfigUpdateMode.PerBroker)]
    [InlineData("num.io.threads", ConfigType.Int, "8", "[1,...]", ConfigUpdateMode.ClusterWide)]
    [InlineData("group.initial.rebalance.delay.ms", ConfigType.Int, "3000", null, ConfigUpdateMode.ReadOnly)]
    [InlineData("log.cleaner.min.cleanable.ratio", ConfigType.Double, "0.5", "[0,...,1]", ConfigUpdateMode.ClusterWide)]
    [InlineData("compression.gzip.level", ConfigType.Int, "-1", "[1,...,9] or -1", ConfigUpdateMode.ClusterWide)]
    public void GetReturnsKafkaFactsWhenConfigIsWellKnown(
        string name, ConfigType type, string? defaultText, string? validValues, ConfigUpdateMode mode)
    {
        var definition = BrokerConfigCatalog.Get(name);

        Assert.Equal(type, definition.Type);
        Assert.Equal(defaultText, definition.DefaultText);
        Assert.Equal(validValues, definition.Validator?.ToString());
        Assert.Equal(mode, definition.UpdateMode);
    }

    [Theory]
    [InlineData("listener.name.internal.ssl.keystore.location", "ssl.keystore.location")]
    [InlineData("listener.name.sasl_ssl.plain.sasl.jaas.config", "sasl.jaas.config")]
    [InlineData("listener.name.sasl_ssl.sasl.jaas.config", "sasl.jaas.config")]
    [InlineData("listener.name.sasl_ssl.scram-sha-512.sasl.login.class", "sasl.login.class")]
    [InlineData("listener.name.x.a.b.sasl.jaas.config", null)]
    [InlineData("listener.name.x", null)]
    [InlineData("listener.name..ssl.protocol", null)]
    [InlineData("ssl.keystore.location", null)]
    public void ListenerBaseNameStripsPrefixWhenKeyIsListenerPrefixed(string key, string? expected)
    {
        Assert.Equal(expected, BrokerConfigCatalog.ListenerBaseName(key));
    }

    [Theory]
    [InlineData("log.retention.hours", new[] { "log.retention.ms", "log.retention.minutes", "log.retention.hours" })]
    [InlineData("log.roll.ms", new[] { "log.roll.ms", "log.roll.hours" })]
    [InlineData("log.flush.interval.ms", new[] { "log.flush.interval.ms", "log.flush.scheduler.interval.ms" })]
    [InlineData("listener.name.a.ssl.protocol", new[] { "listener.name.a.ssl.protocol", "ssl.protocol" })]
    [InlineData("num.partitions", new[] { "num.partitions" })]
    public void SynonymsFollowKafkaOrderWhenAsked(string name, string[] expected)
    {
        Assert.Equal(expected, BrokerConfigCatalog.Synonyms(name));
    }
}
