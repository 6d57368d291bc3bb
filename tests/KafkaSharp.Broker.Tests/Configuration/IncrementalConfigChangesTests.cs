using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

public class IncrementalConfigChangesTests
{
    [Fact]
    public void WithChangesSetsAndDeletesWhenAsked()
    {
        var topic = TopicConfig.Create(FromLines(), Props("retention.ms=1000", "segment.ms=2000"));

        var changed = topic.WithChanges(
        [
            new("retention.ms", AlterConfigOpType.Delete, null),
            new("max.message.bytes", AlterConfigOpType.Set, "5000"),
        ]);

        Assert.Equal(new Dictionary<string, string> { ["segment.ms"] = "2000", ["max.message.bytes"] = "5000" }, changed.Overrides);
        Assert.Equal(604_800_000L, changed.RetentionMs);
    }

    [Fact]
    public void WithChangesAppendsToTopicDefaultWhenNotOverridden()
    {
        var changed = TopicConfig.Create(FromLines()).WithChanges([new("cleanup.policy", AlterConfigOpType.Append, "compact")]);

        Assert.Equal("delete,compact", changed.Overrides["cleanup.policy"]);
        Assert.True(changed.IsCompacted && changed.IsDeleteEnabled);
    }

    [Fact]
    public void WithChangesSkipsPresentValuesWhenAppending()
    {
        var topic = TopicConfig.Create(FromLines(), Props("leader.replication.throttled.replicas=0:1"));

        var changed = topic.WithChanges([new("leader.replication.throttled.replicas", AlterConfigOpType.Append, "0:1,1:2")]);

        Assert.Equal("0:1,1:2", changed.Overrides["leader.replication.throttled.replicas"]);
    }

    [Fact]
    public void WithChangesRemovesValuesWhenSubtracting()
    {
        var topic = TopicConfig.Create(FromLines(), Props("cleanup.policy=compact,delete"));

        var changed = topic.WithChanges([new("cleanup.policy", AlterConfigOpType.Subtract, "delete")]);

        Assert.Equal("compact", changed.Overrides["cleanup.policy"]);
    }

    [Theory]
    [InlineData(AlterConfigOpType.Append, "append")]
    [InlineData(AlterConfigOpType.Subtract, "subtract")]
    public void WithChangesThrowsWhenListOperationTargetsNonList(AlterConfigOpType operation, string verb)
    {
        var error = Assert.Throws<ConfigException>(() =>
            TopicConfig.Create(FromLines()).WithChanges([new("retention.ms", operation, "1")]));

        Assert.Equal($"Config value {verb} is not allowed for config key: retention.ms", error.Message);
    }

    [Fact]
    public void WithChangesThrowsNamingConfigWhenSetValueIsInvalid()
    {
        var error = Assert.Throws<ConfigException>(() =>
            TopicConfig.Create(FromLines()).WithChanges([new("segment.bytes", AlterConfigOpType.Set, "1")]));

        Assert.Equal("segment.bytes", error.Key);
    }

    [Fact]
    public void ApplyToBrokerAppendsToListenerPrefixedListWhenBaseIsList()
    {
        var result = IncrementalConfigChanges.ApplyToBroker(
            Props("listener.name.external.sasl.enabled.mechanisms=PLAIN"),
            [new("listener.name.external.sasl.enabled.mechanisms", AlterConfigOpType.Append, "SCRAM-SHA-512")]);

        Assert.Equal("PLAIN,SCRAM-SHA-512", result["listener.name.external.sasl.enabled.mechanisms"]);
    }
}
