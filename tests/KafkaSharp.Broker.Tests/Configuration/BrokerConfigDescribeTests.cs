using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

public class BrokerConfigDescribeTests
{
    [Fact]
    public void DescribeListsEveryDocumentedConfigWhenNothingIsSet()
    {
        var entries = FromLines().Describe();

        // Kafka 3.9's broker-configs page documents 314 configs.
        Assert.Equal(314, entries.Count);
        Assert.Equal(entries.Select(e => e.Name).Distinct().Count(), entries.Count);
        Assert.DoesNotContain(entries, e => e.Name == "unstable.api.versions.enable");
    }

    [Fact]
    public void DescribeReportsDefaultSourceWhenConfigIsUnset()
    {
        var entry = FromLines().DescribeOne("num.partitions");

        Assert.Equal("1", entry.Value);
        Assert.Equal("1", entry.DefaultValue);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
        Assert.Equal(ConfigType.Int, entry.Type);
        Assert.True(entry.IsReadOnly);
        Assert.False(entry.IsSensitive);
        Assert.Equal([new ConfigSynonym("num.partitions", "1", ConfigSource.DefaultConfig)], entry.Synonyms);
    }

    [Fact]
    public void DescribeReportsStaticSourceWhenConfigIsInFile()
    {
        var entry = FromLines("num.partitions=3").DescribeOne("num.partitions");

        Assert.Equal("3", entry.Value);
        Assert.Equal(ConfigSource.StaticBrokerConfig, entry.Source);
        Assert.Equal(
            [
                new ConfigSynonym("num.partitions", "3", ConfigSource.StaticBrokerConfig),
                new ConfigSynonym("num.partitions", "1", ConfigSource.DefaultConfig),
            ],
            entry.Synonyms);
    }

    [Fact]
    public void DescribeReportsNullValueWhenConfigHasNoDefault()
    {
        var entry = FromLines().DescribeOne("log.retention.ms");

        Assert.Null(entry.Value);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
        Assert.Empty(entry.Synonyms);
    }

    [Fact]
    public void DescribeShowsLowerPrioritySynonymsWhenRetentionIsSetInMinutes()
    {
        var config = FromLines("log.retention.minutes=30");

        var minutes = config.DescribeOne("log.retention.minutes");
        var hours = config.DescribeOne("log.retention.hours");

        Assert.Equal(
            [
                new ConfigSynonym("log.retention.minutes", "30", ConfigSource.StaticBrokerConfig),
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DefaultConfig),
            ],
            minutes.Synonyms);
        Assert.Equal([new ConfigSynonym("log.retention.hours", "168", ConfigSource.DefaultConfig)], hours.Synonyms);
    }

    [Fact]
    public void DescribeMarksDynamicConfigsWritableWhenUpdateModeAllows()
    {
        var config = FromLines();

        Assert.False(config.DescribeOne("log.retention.ms").IsReadOnly);
        Assert.False(config.DescribeOne("ssl.keystore.location").IsReadOnly);
        Assert.True(config.DescribeOne("broker.id").IsReadOnly);
    }

    [Fact]
    public void DescribeHidesValueWhenConfigIsPassword()
    {
        var config = FromLines("ssl.keystore.password=hunter2", "listener.name.sasl_ssl.plain.sasl.jaas.config=secret-jaas");

        var password = config.DescribeOne("ssl.keystore.password");
        var jaas = config.DescribeOne("listener.name.sasl_ssl.plain.sasl.jaas.config");

        Assert.True(password.IsSensitive);
        Assert.Null(password.Value);
        Assert.Equal(ConfigType.Password, password.Type);
        Assert.Equal(ConfigSource.StaticBrokerConfig, password.Source);
        Assert.All(password.Synonyms, s => Assert.Null(s.Value));
        Assert.True(jaas.IsSensitive);
        Assert.Null(jaas.Value);
        Assert.DoesNotContain(config.Describe(), e => e.Value is "hunter2" or "secret-jaas"
            || e.Synonyms.Any(s => s.Value is "hunter2" or "secret-jaas"));
    }

    [Fact]
    public void DescribeListsListenerOverrideWithBaseSynonymWhenSet()
    {
        var config = FromLines("listener.name.internal.ssl.keystore.location=/internal.jks", "ssl.keystore.location=/base.jks");

        var entry = config.DescribeOne("listener.name.internal.ssl.keystore.location");

        Assert.Equal("/internal.jks", entry.Value);
        Assert.Equal(ConfigType.String, entry.Type);
        Assert.Equal(
            [
                new ConfigSynonym("listener.name.internal.ssl.keystore.location", "/internal.jks", ConfigSource.StaticBrokerConfig),
                new ConfigSynonym("ssl.keystore.location", "/base.jks", ConfigSource.StaticBrokerConfig),
            ],
            entry.Synonyms);
    }

    [Fact]
    public void DescribeTreatsPluginKeyAsSensitiveWhenTypeIsUnknown()
    {
        var entry = FromLines("super.users=User:admin").DescribeOne("super.users");

        Assert.True(entry.IsSensitive);
        Assert.Null(entry.Value);
        Assert.Equal(ConfigType.Unknown, entry.Type);
        Assert.Contains(FromLines("super.users=User:admin").Describe(), e => e.Name == "super.users");
    }

    [Fact]
    public void DescribeFormatsValuesAsKafkaWhenTypesAreNotStrings()
    {
        var config = FromLines("log.cleanup.policy= compact , delete ", "log.cleaner.min.cleanable.ratio=1");

        Assert.Equal("compact,delete", config.DescribeOne("log.cleanup.policy").Value);
        Assert.Equal("1.0", config.DescribeOne("log.cleaner.min.cleanable.ratio").Value);
        Assert.Equal("1.7976931348623157E308", config.DescribeOne("log.cleaner.io.max.bytes.per.second").Value);
        Assert.Equal("true", config.DescribeOne("auto.create.topics.enable").Value);
    }

    [Fact]
    public void DescribeReportsEmbeddedDefaultsAsDefaultsWhenThereIsNoFile()
    {
        var entry = BrokerConfig.Create(null).DescribeOne("listeners");

        Assert.Equal("PLAINTEXT://127.0.0.1:9092", entry.Value);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
    }

    [Fact]
    public void DescribeReportsDynamicSourcesInPriorityOrderWhenDynamicConfigsAreSet()
    {
        var config = FromLines("log.cleaner.threads=2").WithDynamicConfigs(
            perBroker: Props("log.cleaner.threads=4"),
            clusterDefault: Props("log.cleaner.threads=3"));

        var entry = config.DescribeOne("log.cleaner.threads");

        Assert.Equal("4", entry.Value);
        Assert.Equal(4, config.GetInt("log.cleaner.threads"));
        Assert.Equal(ConfigSource.DynamicBrokerConfig, entry.Source);
        Assert.Equal(
            [ConfigSource.DynamicBrokerConfig, ConfigSource.DynamicDefaultBrokerConfig, ConfigSource.StaticBrokerConfig, ConfigSource.DefaultConfig],
            entry.Synonyms.Select(s => s.Source));
    }

    [Fact]
    public void DescribeClusterDefaultsListsOnlyDefaultLevelWhenAsked()
    {
        var config = FromLines("log.cleaner.threads=2").WithDynamicConfigs(
            perBroker: Props("log.cleaner.threads=4"),
            clusterDefault: Props("log.cleaner.threads=3", "log.retention.ms=1000"));

        var entries = config.DescribeClusterDefaults();

        Assert.Equal(["log.cleaner.threads", "log.retention.ms"], entries.Select(e => e.Name));
        Assert.Equal("3", entries[0].Value);
        Assert.Equal(ConfigSource.DynamicDefaultBrokerConfig, entries[0].Source);
        Assert.Equal([new ConfigSynonym("log.cleaner.threads", "3", ConfigSource.DynamicDefaultBrokerConfig)], entries[0].Synonyms);
    }
}
