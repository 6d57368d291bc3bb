using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;

namespace KafkaSharp.Storage.Tests;

public class LogConfigTests
{
    [Fact]
    public void DefaultMatchesKafkaTopicDefaults()
    {
        LogConfig config = LogConfig.Default;
        Assert.Equal(1073741824, config.SegmentBytes);
        Assert.Equal(604800000, config.SegmentMs);
        Assert.Equal(4096, config.IndexIntervalBytes);
        Assert.Equal(10485760, config.SegmentIndexBytes);
        Assert.Equal(604800000, config.RetentionMs);
        Assert.Equal(-1, config.RetentionBytes);
        Assert.Equal(CleanupPolicy.Delete, config.CleanupPolicy);
        Assert.Equal(1048588, config.MaxMessageBytes);
        Assert.Equal(TimestampType.CreateTime, config.MessageTimestampType);
        Assert.Equal(86400000, config.DeleteRetentionMs);
        Assert.Equal(0.5, config.MinCleanableDirtyRatio);
        Assert.Equal(0, config.MinCompactionLagMs);
        Assert.Equal(long.MaxValue, config.FlushMessages);
        Assert.Equal(long.MaxValue, config.FlushMs);
        Assert.Equal(60000, config.FileDeleteDelayMs);
    }

    [Fact]
    public void FromPropertiesAppliesKafkaNamesWhenGiven()
    {
        LogConfig config = LogConfig.FromProperties(new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact,delete",
            ["segment.bytes"] = "1048576",
            ["message.timestamp.type"] = "LogAppendTime",
            ["min.cleanable.dirty.ratio"] = "0.1",
            ["retention.ms"] = "-1",
            ["unrelated.broker.setting"] = "x",
        });

        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, config.CleanupPolicy);
        Assert.Equal(1048576, config.SegmentBytes);
        Assert.Equal(TimestampType.LogAppendTime, config.MessageTimestampType);
        Assert.Equal(0.1, config.MinCleanableDirtyRatio);
        Assert.Equal(-1, config.RetentionMs);
    }

    [Theory]
    [InlineData("cleanup.policy", "shred")]
    [InlineData("segment.bytes", "10")]
    [InlineData("min.cleanable.dirty.ratio", "1.5")]
    [InlineData("message.timestamp.type", "Now")]
    public void FromPropertiesFailsWhenValueInvalid(string name, string value) =>
        Assert.Throws<ArgumentException>(() => LogConfig.FromProperties([KeyValuePair.Create(name, value)]));
}
