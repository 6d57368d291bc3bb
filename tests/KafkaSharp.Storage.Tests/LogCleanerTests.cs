using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class LogCleanerTests
{
    [Fact]
    public void CleanOnceCompactsDirtiestLogAndCheckpointsWhenPolicyIsCompact()
    {
        using var temp = new TempDirectory();
        var time = new ManualTimeProvider();
        var compacted = new LogConfig { CleanupPolicy = CleanupPolicy.Compact, FileDeleteDelayMs = 0 };
        var options = new LogManagerOptions { BrokerId = 1, TopicConfig = t => t == "__consumer_offsets" ? compacted : LogConfig.Default };
        using var manager = new LogManager([temp.Sub("data")], LogConfig.Default, options, time);
        manager.Startup(startBackgroundTasks: false);
        PartitionLog offsets = manager.GetOrCreateLog(new TopicPartition("__consumer_offsets", 0));
        PartitionLog plain = manager.GetOrCreateLog(new TopicPartition("plain", 0));
        for (int i = 0; i < 50; i++)
        {
            offsets.Append(BatchFactory.Batch(time.NowMs, TestRecord.Of("group-" + (i % 3), "offset-" + i)), 0);
            plain.Append(BatchFactory.Values(time.NowMs, 1), 0);
        }

        offsets.Roll();
        offsets.Append(BatchFactory.Batch(time.NowMs, TestRecord.Of("group-0", "latest")), 0);
        offsets.UpdateHighWatermark(offsets.LogEndOffset);
        plain.UpdateHighWatermark(plain.LogEndOffset);
        long sizeBefore = offsets.Size;

        var cleaner = new Cleaner.LogCleaner(manager, time, 15_000);
        Assert.True(cleaner.CleanOnce());
        Assert.False(cleaner.CleanOnce());

        Assert.True(offsets.Size < sizeBefore);
        Assert.Equal(50, plain.LogEndOffset);
        var checkpoint = new OffsetCheckpointFile(Path.Combine(temp.Sub("data"), "cleaner-offset-checkpoint")).Read();
        Assert.Equal(50, checkpoint[new TopicPartition("__consumer_offsets", 0)]);
        cleaner.Dispose();
    }
}
