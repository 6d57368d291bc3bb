using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

public class DynamicBrokerConfigRulesTests
{
    [Theory]
    [InlineData("log.retention.ms=1000", false)]
    [InlineData("log.retention.ms=1000", true)]
    [InlineData("num.io.threads=4", true)]
    [InlineData("listener.name.internal.ssl.keystore.location=/k.jks", false)]
    [InlineData("listener.name.internal.max.connections=10", true)]
    [InlineData("leader.replication.throttled.rate=1048576", true)]
    [InlineData("advertised.listeners=PLAINTEXT://h:9092", false)]
    public void ValidateAcceptsConfigWhenKafkaAllowsDynamicUpdate(string line, bool isClusterDefault)
    {
        DynamicBrokerConfigRules.Validate(Props(line), isClusterDefault);

        var broker = isClusterDefault
            ? FromLines().WithDynamicConfigs(Props(), Props(line))
            : FromLines().WithDynamicConfigs(Props(line), Props());
        var key = line[..line.IndexOf('=')];
        Assert.Equal(line[(key.Length + 1)..], broker.GetOriginal(key));
    }

    [Theory]
    [InlineData("broker.id=5", false, "Cannot update these configs dynamically")]
    [InlineData("zookeeper.connect=zk:2181", false, "Cannot update these configs dynamically")]
    [InlineData("ssl.keystore.location=/k.jks", false, "only per-listener")]
    [InlineData("advertised.listeners=PLAINTEXT://h:9092", true, "broker id must be specified")]
    [InlineData("listener.name.internal.ssl.keystore.location=/k.jks", true, "broker id must be specified")]
    [InlineData("no.such.config=1", false, "Unknown configuration")]
    [InlineData("log.retention.ms=soon", false, "LONG")]
    public void ValidateThrowsNamingKeyWhenUpdateIsNotAllowed(string line, bool isClusterDefault, string reason)
    {
        var key = line[..line.IndexOf('=')];

        var error = Assert.Throws<ConfigException>(() => DynamicBrokerConfigRules.Validate(Props(line), isClusterDefault));

        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateKeysThrowsWhenDeletingReadOnlyConfig()
    {
        var error = Assert.Throws<ConfigException>(() => DynamicBrokerConfigRules.ValidateKeys(["log.dirs"], isClusterDefault: false));

        Assert.Equal("log.dirs", error.Key);
    }

    [Fact]
    public void WithDynamicConfigsRevalidatesCombinationsWhenValuesChange()
    {
        var error = Assert.Throws<ConfigException>(() =>
            FromLines().WithDynamicConfigs(Props("log.retention.ms=0"), Props()));

        Assert.Equal("log.retention.ms", error.Key);
    }

    [Fact]
    public void WithDynamicConfigsKeepsStaticValuesWhenNotOverridden()
    {
        var broker = FromLines("num.partitions=4", "log.retention.hours=2").WithDynamicConfigs(Props(), Props("log.retention.ms=300000"));

        Assert.Equal(4, broker.NumPartitions);
        Assert.Equal(300_000L, broker.LogRetentionMs);
    }
}
