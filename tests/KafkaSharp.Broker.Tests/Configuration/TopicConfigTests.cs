using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

public class TopicConfigTests
{
    [Fact]
    public void CreateUsesKafkaDefaultsWhenNothingIsSet()
    {
        var topic = TopicConfig.Create(FromLines());

        Assert.Equal(1073741824, topic.SegmentBytes);
        Assert.Equal(604_800_000L, topic.SegmentMs);
        Assert.Equal(604_800_000L, topic.RetentionMs);
        Assert.Equal(-1L, topic.RetentionBytes);
        Assert.Equal(["delete"], topic.CleanupPolicy);
        Assert.False(topic.IsCompacted);
        Assert.True(topic.IsDeleteEnabled);
        Assert.Equal(1048588, topic.MaxMessageBytes);
        Assert.Equal(MessageTimestampType.CreateTime, topic.MessageTimestampType);
        Assert.Equal(4096, topic.IndexIntervalBytes);
        Assert.Equal(10485760, topic.SegmentIndexBytes);
        Assert.Equal(86_400_000L, topic.DeleteRetentionMs);
        Assert.Equal(0.5, topic.MinCleanableDirtyRatio);
        Assert.Equal(0L, topic.MinCompactionLagMs);
        Assert.Equal(long.MaxValue, topic.FlushMessages);
        Assert.Equal(long.MaxValue, topic.FlushMs);
        Assert.Equal(1, topic.MinInsyncReplicas);
        Assert.False(topic.UncleanLeaderElectionEnable);
        Assert.Equal(60_000L, topic.FileDeleteDelayMs);
        Assert.Equal("producer", topic.CompressionType);
        Assert.Equal(long.MaxValue, topic.MessageTimestampBeforeMaxMs);
    }

    [Fact]
    public void CreateTakesBrokerSynonymsWhenTopicDoesNotOverride()
    {
        var broker = FromLines(
            "log.retention.minutes=10",
            "log.roll.hours=1",
            "log.segment.bytes=1048576",
            "log.cleanup.policy=compact",
            "message.max.bytes=2000000",
            "log.cleaner.min.cleanable.ratio=0.25",
            "log.message.timestamp.type=LogAppendTime",
            "log.flush.scheduler.interval.ms=5000",
            "min.insync.replicas=2",
            "log.segment.delete.delay.ms=10");

        var topic = TopicConfig.Create(broker);

        Assert.Equal(600_000L, topic.RetentionMs);
        Assert.Equal(3_600_000L, topic.SegmentMs);
        Assert.Equal(1048576, topic.SegmentBytes);
        Assert.True(topic.IsCompacted);
        Assert.Equal(2000000, topic.MaxMessageBytes);
        Assert.Equal(0.25, topic.MinCleanableDirtyRatio);
        Assert.Equal(MessageTimestampType.LogAppendTime, topic.MessageTimestampType);
        Assert.Equal(5000L, topic.FlushMs);
        Assert.Equal(2, topic.MinInsyncReplicas);
        Assert.Equal(10L, topic.FileDeleteDelayMs);
    }

    [Fact]
    public void CreateLetsTopicOverridesWinWhenBrokerAlsoSetsSynonym()
    {
        var topic = TopicConfig.Create(FromLines("log.retention.hours=1"), Props("retention.ms=1000", "cleanup.policy=compact,delete"));

        Assert.Equal(1000L, topic.RetentionMs);
        Assert.True(topic.IsCompacted);
        Assert.True(topic.IsDeleteEnabled);
    }

    [Fact]
    public void MessageTimestampLimitsFallBackToDifferenceWhenUnset()
    {
        var topic = TopicConfig.Create(FromLines(), Props("message.timestamp.difference.max.ms=3600000"));

        Assert.Equal(3_600_000L, topic.MessageTimestampBeforeMaxMs);
        Assert.Equal(3_600_000L, topic.MessageTimestampAfterMaxMs);
    }

    [Theory]
    [InlineData("retention.msx", "retention.msx")]
    [InlineData("log.retention.ms", "log.retention.ms")]
    public void CreateThrowsNamingConfigWhenTopicConfigIsUnknown(string name, string expectedKey)
    {
        var error = Assert.Throws<ConfigException>(() => TopicConfig.Create(FromLines(), Props($"{name}=1")));

        Assert.Equal(expectedKey, error.Key);
        Assert.Equal($"Unknown topic config name: {name}", error.Message);
    }

    [Theory]
    [InlineData("cleanup.policy=erase", "cleanup.policy")]
    [InlineData("segment.bytes=10", "segment.bytes")]
    [InlineData("retention.ms=-2", "retention.ms")]
    [InlineData("min.insync.replicas=0", "min.insync.replicas")]
    [InlineData("message.timestamp.type=Now", "message.timestamp.type")]
    [InlineData("min.cleanable.dirty.ratio=2", "min.cleanable.dirty.ratio")]
    [InlineData("max.message.bytes=big", "max.message.bytes")]
    [InlineData("leader.replication.throttled.replicas=0:1,x", "leader.replication.throttled.replicas")]
    [InlineData("remote.log.copy.disable=true", "remote.log.copy.disable")]
    [InlineData("remote.storage.enable=true", "remote.storage.enable")]
    public void CreateThrowsNamingConfigWhenValueIsInvalid(string line, string key)
    {
        var error = Assert.Throws<ConfigException>(() => TopicConfig.Create(FromLines(), Props(line)));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void CreateThrowsWhenMinCompactionLagExceedsMax()
    {
        var error = Assert.Throws<ConfigException>(() =>
            TopicConfig.Create(FromLines(), Props("min.compaction.lag.ms=10", "max.compaction.lag.ms=5")));

        Assert.Contains("min.compaction.lag.ms (10) > max.compaction.lag.ms (5)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("0:1,1:2")]
    [InlineData("")]
    public void CreateAcceptsThrottledReplicasWhenWellFormed(string value)
    {
        var topic = TopicConfig.Create(FromLines(), Props($"follower.replication.throttled.replicas={value}"));

        Assert.Equal(value, string.Join(',', topic.FollowerReplicationThrottledReplicas));
    }

    [Fact]
    public void DescribeListsEveryTopicConfigWhenCalled()
    {
        var entries = TopicConfig.Create(FromLines()).Describe();

        Assert.Equal(TopicConfigCatalog.All.Select(c => c.Name), entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.False(e.IsReadOnly));
        Assert.All(entries, e => Assert.False(e.IsSensitive));
    }

    [Fact]
    public void DescribeReportsDefaultSourceWithBrokerDefaultSynonymWhenNothingIsSet()
    {
        var entry = TopicConfig.Create(FromLines()).DescribeOne("segment.bytes");

        Assert.Equal("1073741824", entry.Value);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
        Assert.Equal([new ConfigSynonym("log.segment.bytes", "1073741824", ConfigSource.DefaultConfig)], entry.Synonyms);
    }

    [Fact]
    public void DescribeReportsStaticBrokerSourceWhenBrokerSetsSynonym()
    {
        var entry = TopicConfig.Create(FromLines("log.cleanup.policy=compact")).DescribeOne("cleanup.policy");

        Assert.Equal("compact", entry.Value);
        Assert.Equal(ConfigSource.StaticBrokerConfig, entry.Source);
        Assert.Equal(
            [
                new ConfigSynonym("log.cleanup.policy", "compact", ConfigSource.StaticBrokerConfig),
                new ConfigSynonym("log.cleanup.policy", "delete", ConfigSource.DefaultConfig),
            ],
            entry.Synonyms);
    }

    [Fact]
    public void DescribeReportsTopicSourceFirstWhenTopicOverrides()
    {
        var topic = TopicConfig.Create(FromLines("log.retention.ms=5000"), Props("retention.ms=1000"));

        var entry = topic.DescribeOne("retention.ms");

        Assert.Equal("1000", entry.Value);
        Assert.Equal("5000", entry.DefaultValue);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entry.Source);
        Assert.Equal(
            [
                new ConfigSynonym("retention.ms", "1000", ConfigSource.DynamicTopicConfig),
                new ConfigSynonym("log.retention.ms", "5000", ConfigSource.StaticBrokerConfig),
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DefaultConfig),
            ],
            entry.Synonyms);
    }

    [Fact]
    public void DescribeFollowsOnlyPrimarySynonymWhenRetentionIsSetInHours()
    {
        // Kafka follows log.retention.ms for retention.ms; hours-only settings give the value but no synonym.
        var entry = TopicConfig.Create(FromLines("log.retention.hours=2")).DescribeOne("retention.ms");

        Assert.Equal("7200000", entry.Value);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
        Assert.Empty(entry.Synonyms);
    }

    [Fact]
    public void DescribeReportsDynamicBrokerSourceWhenClusterDefaultIsSet()
    {
        var broker = FromLines().WithDynamicConfigs(perBroker: Props(), clusterDefault: Props("log.segment.bytes=2097152"));

        var entry = TopicConfig.Create(broker).DescribeOne("segment.bytes");

        Assert.Equal("2097152", entry.Value);
        Assert.Equal(ConfigSource.DynamicDefaultBrokerConfig, entry.Source);
    }

    [Fact]
    public void DescribeReportsDefaultSourceWhenConfigHasNoBrokerSynonym()
    {
        var entry = TopicConfig.Create(FromLines()).DescribeOne("remote.storage.enable");

        Assert.Equal("false", entry.Value);
        Assert.Equal(ConfigSource.DefaultConfig, entry.Source);
        Assert.Empty(entry.Synonyms);
    }

    [Fact]
    public void WithOverridesReplacesEveryOverrideWhenAltered()
    {
        var topic = TopicConfig.Create(FromLines(), Props("retention.ms=1000", "segment.ms=2000"));

        var altered = topic.WithOverrides(Props("segment.ms=3000"));

        Assert.Equal(604_800_000L, altered.RetentionMs);
        Assert.Equal(3000L, altered.SegmentMs);
        Assert.Equal(1000L, topic.RetentionMs);
    }

    [Fact]
    public void WithBrokerPicksUpBrokerChangeWhenTopicDoesNotOverride()
    {
        var topic = TopicConfig.Create(FromLines(), Props("segment.ms=2000"));
        var broker = FromLines().WithDynamicConfigs(Props("log.retention.ms=42"), Props());

        var updated = topic.WithBroker(broker);

        Assert.Equal(42L, updated.RetentionMs);
        Assert.Equal(2000L, updated.SegmentMs);
    }

    [Fact]
    public void TopicSynonymsNameRealBrokerConfigsWhenListed()
    {
        Assert.All(
            TopicConfigCatalog.All.SelectMany(c => c.BrokerSynonyms),
            synonym => Assert.NotNull(FromLines().DescribeOne(synonym)));
        Assert.Equal(
            ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
            TopicConfigCatalog.Get("retention.ms").BrokerSynonyms);
        Assert.Equal(["log.roll.ms", "log.roll.hours"], TopicConfigCatalog.Get("segment.ms").BrokerSynonyms);
        Assert.Equal(["message.max.bytes"], TopicConfigCatalog.Get("max.message.bytes").BrokerSynonyms);
    }
}
