using KafkaSharp.Protocol;
using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class LogManagerTests
{
    private static LogManager Start(TempDirectory temp, ManualTimeProvider time, LogManagerOptions? options = null, params string[] dirs)
    {
        string[] logDirs = dirs.Length == 0 ? [temp.Sub("data")] : dirs.Select(temp.Sub).ToArray();
        var manager = new LogManager(logDirs, new LogConfig { FileDeleteDelayMs = 0 }, options ?? new LogManagerOptions { BrokerId = 1 }, time);
        manager.Startup(startBackgroundTasks: false);
        return manager;
    }

    [Fact]
    public void DisposeWritesCheckpointsAndCleanMarkerWhenShutDownCleanly()
    {
        using var temp = new TempDirectory();
        var time = new ManualTimeProvider();
        var topicId = Guid.NewGuid();
        using (LogManager manager = Start(temp, time))
        {
            PartitionLog log = manager.GetOrCreateLog(new TopicPartition("orders", 2), topicId);
            log.Append(BatchFactory.Values(0, 3), 0);
            log.UpdateHighWatermark(3);
        }

        string dir = temp.Sub("data");
        Assert.True(File.Exists(Path.Combine(dir, LogManager.CleanShutdownFile)));
        Assert.Equal("0\n1\norders 2 3\n", File.ReadAllText(Path.Combine(dir, "recovery-point-offset-checkpoint")));
        Assert.Equal("0\n1\norders 2 0\n", File.ReadAllText(Path.Combine(dir, "log-start-offset-checkpoint")));
        Assert.Equal("0\n1\norders 2 3\n", File.ReadAllText(Path.Combine(dir, "replication-offset-checkpoint")));
        Assert.Equal(topicId, PartitionMetadataFile.Read(Path.Combine(dir, "orders-2")));
        Assert.Equal(1, MetaProperties.Read(dir)!.BrokerId);

        using LogManager again = Start(temp, time);
        Assert.False(File.Exists(Path.Combine(dir, LogManager.CleanShutdownFile)));
        PartitionLog reloaded = again.GetLog(new TopicPartition("orders", 2))!;
        Assert.Equal((3, 3), (reloaded.LogEndOffset, reloaded.HighWatermark));
    }

    [Fact]
    public void DisposeStopsBackgroundTasksWhenStartedWithThem()
    {
        using var temp = new TempDirectory();
        var options = new LogManagerOptions { BrokerId = 1, RetentionCheckIntervalMs = 10, CheckpointIntervalMs = 10, CleanerBackoffMs = 10 };
        var manager = new LogManager([temp.Sub("data")], new LogConfig { CleanupPolicy = CleanupPolicy.Compact }, options);
        manager.Startup();
        PartitionLog log = manager.GetOrCreateLog(new TopicPartition("t", 0));
        log.Append(BatchFactory.Batch(0, TestRecord.Of("k", "v")), 0);
        Thread.Sleep(100);

        Task dispose = Task.Run(manager.Dispose);
        Assert.True(dispose.Wait(TimeSpan.FromSeconds(30)), "shutdown must not hang");
        Assert.True(File.Exists(Path.Combine(temp.Sub("data"), LogManager.CleanShutdownFile)));
        Assert.Equal("0\n1\nt 0 1\n", File.ReadAllText(Path.Combine(temp.Sub("data"), "recovery-point-offset-checkpoint")));
    }

    [Fact]
    public void StartupRefusesDirWhenMetaPropertiesNamesAnotherBroker()
    {
        using var temp = new TempDirectory();
        var time = new ManualTimeProvider();
        Directory.CreateDirectory(temp.Sub("data"));
        new MetaProperties(7, null).Write(temp.Sub("data"));

        using LogManager manager = Start(temp, time);
        Assert.Equal([temp.Sub("data")], manager.OfflineLogDirs);
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<StorageException>(() => manager.GetOrCreateLog(new TopicPartition("t", 0))).ErrorCode);
    }

    [Fact]
    public void GetOrCreateLogSpreadsPartitionsWhenSeveralDirs()
    {
        using var temp = new TempDirectory();
        using LogManager manager = Start(temp, new ManualTimeProvider(), null, "d1", "d2");
        manager.GetOrCreateLog(new TopicPartition("t", 0));
        manager.GetOrCreateLog(new TopicPartition("t", 1));

        Assert.True(Directory.Exists(temp.Sub("d1/t-0")) ^ Directory.Exists(temp.Sub("d2/t-0")));
        Assert.True(Directory.Exists(temp.Sub("d1/t-1")) ^ Directory.Exists(temp.Sub("d2/t-1")));
        Assert.NotEqual(Directory.Exists(temp.Sub("d1/t-0")), Directory.Exists(temp.Sub("d1/t-1")));
    }

    [Fact]
    public void DeleteLogRemovesPartitionDirectory()
    {
        using var temp = new TempDirectory();
        using LogManager manager = Start(temp, new ManualTimeProvider());
        manager.GetOrCreateLog(new TopicPartition("gone", 0)).Append(BatchFactory.Values(0, 1), 0);
        manager.DeleteLog(new TopicPartition("gone", 0));

        Assert.Null(manager.GetLog(new TopicPartition("gone", 0)));
        Assert.Empty(Directory.GetDirectories(temp.Sub("data")));
    }

    [Fact]
    public void RunRetentionDeletesExpiredSegmentsAcrossLogs()
    {
        using var temp = new TempDirectory();
        var time = new ManualTimeProvider();
        var options = new LogManagerOptions { BrokerId = 1, TopicConfig = _ => new LogConfig { RetentionMs = 1000, FileDeleteDelayMs = 0 } };
        using LogManager manager = Start(temp, time, options);
        PartitionLog log = manager.GetOrCreateLog(new TopicPartition("t", 0));
        log.Append(BatchFactory.Values(time.NowMs, 2), 0);
        log.Roll();
        log.Append(BatchFactory.Values(time.NowMs + 5000, 2), 0);
        log.UpdateHighWatermark(4);
        time.Advance(3000);

        Assert.Equal(1, manager.RunRetention());
        Assert.Equal(2, log.LogStartOffset);
    }

    [Fact]
    public void StartupRecoversLogsWhenShutdownWasUnclean()
    {
        using var temp = new TempDirectory();
        var time = new ManualTimeProvider();
        LogManager manager = Start(temp, time);
        PartitionLog log = manager.GetOrCreateLog(new TopicPartition("t", 0));
        log.Append(BatchFactory.Values(0, 2), 0);
        log.Append(BatchFactory.Values(0, 2), 0);
        string segment = Path.Combine(log.Directory, "00000000000000000000.log");
        long size = log.Size;
        log.CloseUncleanly();

        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(size - 5);
        }

        using LogManager again = Start(temp, time);
        Assert.Equal(2, again.GetLog(new TopicPartition("t", 0))!.LogEndOffset);
    }

    [Fact]
    public void LogDirFailedRaisedAndSiblingLogsOfflineWhenOneLogHitsIoError()
    {
        using var temp = new TempDirectory();
        using LogManager manager = Start(temp, new ManualTimeProvider());
        PartitionLog first = manager.GetOrCreateLog(new TopicPartition("t", 0));
        PartitionLog second = manager.GetOrCreateLog(new TopicPartition("t", 1));
        string? failed = null;
        manager.LogDirFailed += d => failed = d;

        // Replace the active segment file with /dev/full underneath the open log: the next roll writes there.
        first.Append(BatchFactory.Values(0, 1), 0);
        string next = Path.Combine(first.Directory, "00000000000000000001.log");
        File.CreateSymbolicLink(next, "/dev/full");
        first.Roll();
        Assert.Throws<StorageException>(() => first.Append(BatchFactory.Values(0, 1), 0));

        Assert.Equal(temp.Sub("data"), failed);
        Assert.True(second.IsOffline);
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<StorageException>(() => second.Append(BatchFactory.Values(0, 1), 0)).ErrorCode);
    }
}
