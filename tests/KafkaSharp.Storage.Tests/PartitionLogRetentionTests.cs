using KafkaSharp.Protocol;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogRetentionTests
{
    private static byte[] TwoRecords(long timestamp) =>
        BatchFactory.Batch(timestamp, TestRecord.Of("a", new string('x', 100)), TestRecord.Of("b", new string('y', 100)));

    /// <summary>Three rolled segments a second apart plus an active one, two records each.</summary>
    private static LogFixture ThreeSegments(LogConfig config)
    {
        var fixture = new LogFixture(config);
        for (int i = 0; i < 3; i++)
        {
            fixture.Append(TwoRecords(fixture.Time.NowMs));
            fixture.Time.Advance(1000);
            fixture.Log.Roll();
        }

        fixture.Append(TwoRecords(fixture.Time.NowMs));
        return fixture;
    }

    [Fact]
    public void DeleteOldSegmentsDeletesExpiredSegmentsWhenRetentionMsPassed()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionMs = 1500, FileDeleteDelayMs = 0 });

        Assert.Equal(2, fixture.Log.DeleteOldSegments());
        Assert.Equal([4L, 6], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(4, fixture.Log.LogStartOffset);
        Assert.False(File.Exists(Path.Combine(fixture.Dir, "00000000000000000000.log")));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<StorageException>(() => fixture.Log.Read(0, 100)).ErrorCode);
    }

    [Fact]
    public void DeleteOldSegmentsRollsAndDeletesAllWhenEverythingExpired()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionMs = 10, FileDeleteDelayMs = 0 });
        fixture.Time.Advance(100_000);

        Assert.Equal(4, fixture.Log.DeleteOldSegments());
        Assert.Equal([8L], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(8, fixture.Log.LogStartOffset);
        Assert.Equal(8, fixture.Log.LogEndOffset);
        Assert.Equal(8, fixture.AppendValues(1).FirstOffset);
    }

    [Fact]
    public void DeleteOldSegmentsKeepsSegmentsWhenAboveHighWatermark()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionMs = 10, FileDeleteDelayMs = 0 });
        fixture.Time.Advance(100_000);
        fixture.Log.UpdateHighWatermark(3);

        Assert.Equal(1, fixture.Log.DeleteOldSegments());
        Assert.Equal(2, fixture.Log.LogStartOffset);
    }

    [Fact]
    public void DeleteOldSegmentsDeletesOldestWhenRetentionBytesExceeded()
    {
        // Like Kafka, a segment goes only if the log stays at or above retention.bytes without it.
        int segmentSize = TwoRecords(0).Length;
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionBytes = (segmentSize * 2) - 10, FileDeleteDelayMs = 0 });

        Assert.Equal(2, fixture.Log.DeleteOldSegments());
        Assert.Equal([4L, 6], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(0, fixture.Log.DeleteOldSegments());
    }

    [Fact]
    public void DeleteOldSegmentsKeepsEverythingWhenPolicyIsCompactOnly()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionMs = 10, CleanupPolicy = CleanupPolicy.Compact, FileDeleteDelayMs = 0 });
        fixture.Time.Advance(100_000);
        Assert.Equal(0, fixture.Log.DeleteOldSegments());
    }

    [Fact]
    public void DeleteOldSegmentsKeepsDeletedFilesReadableWhenDeleteDelayPending()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { RetentionMs = 1500, FileDeleteDelayMs = 60_000 });
        var slice = fixture.Log.Read(0, 1 << 20).Records;

        fixture.Log.DeleteOldSegments();

        Assert.True(File.Exists(Path.Combine(fixture.Dir, "00000000000000000000.log.deleted")));
        Assert.Equal(0, Protocol.Records.RecordBatchHeader.Read(slice.ToArray()).BaseOffset);
    }

    [Fact]
    public void DeleteRecordsBeforeMovesLogStartAndDeletesCoveredSegments()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { FileDeleteDelayMs = 0 });

        Assert.Equal(5, fixture.Log.DeleteRecordsBefore(5));
        Assert.Equal([4L, 6], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(5, fixture.Log.LogStartOffset);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<StorageException>(() => fixture.Log.Read(4, 100)).ErrorCode);
        Assert.Equal(5, fixture.Reopen().LogStartOffset);
    }

    [Fact]
    public void DeleteRecordsBeforeFailsWhenOffsetAboveHighWatermark()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig());
        fixture.Log.UpdateHighWatermark(4);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<StorageException>(() => fixture.Log.DeleteRecordsBefore(6)).ErrorCode);
    }

    [Fact]
    public void TruncateToRemovesBatchesAndLaterSegmentsWhenFollowerDiverged()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { FileDeleteDelayMs = 0 });
        fixture.Log.LeaderEpochs.Assign(5, 5);

        Assert.Equal(2, fixture.Log.TruncateTo(3));
        Assert.Equal([0L, 2], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(2, fixture.Log.LogEndOffset);
        Assert.Equal(2, fixture.AppendValues(1).FirstOffset);
        Assert.DoesNotContain(fixture.Log.LeaderEpochs.Entries, e => e.Epoch == 5);
    }

    [Fact]
    public void TruncateFullyAndStartAtEmptiesLogWhenReplicaRestarts()
    {
        using LogFixture fixture = ThreeSegments(new LogConfig { FileDeleteDelayMs = 0 });
        fixture.Log.TruncateFullyAndStartAt(100);

        Assert.Equal((100, 100), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
        Assert.Equal(100, fixture.AppendValues(1).FirstOffset);
        Assert.Equal(100, fixture.Reopen().LogStartOffset);
    }
}
