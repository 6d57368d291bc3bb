using KafkaSharp.Protocol;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogAppendTests
{
    [Fact]
    public void AppendAssignsConsecutiveOffsetsWhenBatchesArrive()
    {
        using var fixture = new LogFixture();
        AppendResult first = fixture.AppendValues(3);
        AppendResult second = fixture.AppendValues(2);

        Assert.Equal((0, 2), (first.FirstOffset, first.LastOffset));
        Assert.Equal((3, 4), (second.FirstOffset, second.LastOffset));
        Assert.Equal(5, fixture.Log.LogEndOffset);
        Assert.Equal([0L, 1, 2, 3, 4], fixture.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void AppendStoresBytesUnchangedExceptOffsetAndEpochWhenCreateTime()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(1);
        byte[] batch = BatchFactory.Batch(1234, TestRecord.Of("k", "v"));
        fixture.Log.Append(batch, leaderEpoch: 7);

        byte[] stored = fixture.Log.Read(1, 1000).Records.ToArray();
        RecordBatchHeader header = RecordBatchHeader.Read(stored);
        Assert.Equal(1, header.BaseOffset);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.True(RecordBatchHeader.IsCrcValid(stored));
        Assert.Equal(batch.AsSpan(RecordBatchHeader.CrcOffset).ToArray(), stored.AsSpan(RecordBatchHeader.CrcOffset).ToArray());
        Assert.Equal(1234, BatchFactory.Decode(stored)[0].Timestamp);
    }

    [Fact]
    public void AppendStampsBrokerTimeAndFixesCrcWhenLogAppendTime()
    {
        using var fixture = new LogFixture(new LogConfig { MessageTimestampType = TimestampType.LogAppendTime });
        AppendResult result = fixture.Append(BatchFactory.Batch(5, TestRecord.Of("k", "v"), TestRecord.Of("k2", "v2", 3)));

        byte[] stored = fixture.Log.Read(0, 1000).Records.ToArray();
        RecordBatchHeader header = RecordBatchHeader.Read(stored);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(fixture.Time.NowMs, header.MaxTimestamp);
        Assert.Equal(fixture.Time.NowMs, result.LogAppendTime);
        Assert.True(RecordBatchHeader.IsCrcValid(stored));
    }

    [Fact]
    public void AppendFailsWithCorruptMessageWhenCrcIsWrong()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Values(0, 2);
        batch[^1] ^= 0xFF;

        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.CorruptMessage, error.ErrorCode);
        Assert.Equal(0, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void AppendFailsWithCorruptMessageWhenBatchIsTruncated()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Values(0, 2);

        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch.AsSpan(0, batch.Length - 3).ToArray(), 0));
        Assert.Equal(ErrorCode.CorruptMessage, error.ErrorCode);
    }

    [Fact]
    public void AppendFailsWithMessageTooLargeWhenBatchExceedsMaxMessageBytes()
    {
        using var fixture = new LogFixture(new LogConfig { MaxMessageBytes = 200 });
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(BatchFactory.Values(0, 1, 300), 0));
        Assert.Equal(ErrorCode.MessageTooLarge, error.ErrorCode);
    }

    [Fact]
    public void AppendFailsWithInvalidRecordWhenCountDisagreesWithLastOffsetDelta()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Values(0, 3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 5);
        RecordBatchHeader.WriteCrc(batch);

        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
    }

    [Fact]
    public void AppendFailsWithInvalidRecordWhenRecordCountDisagreesWithRecords()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Values(0, 3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 2);
        RecordBatchHeader.WriteCrc(batch);

        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
    }

    [Fact]
    public void AppendFailsWithInvalidRecordWhenCompactedTopicGetsNullKey()
    {
        using var fixture = new LogFixture(new LogConfig { CleanupPolicy = CleanupPolicy.Compact });
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(BatchFactory.Batch(0, TestRecord.Of(null, "v")), 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
        fixture.Log.Append(BatchFactory.Batch(0, TestRecord.Of("k", "v")), 0);
        Assert.Equal(1, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void AppendFailsWithInvalidRecordWhenCompressedBatchOnCompactedTopicHasNullKey()
    {
        using var fixture = new LogFixture(new LogConfig { CleanupPolicy = CleanupPolicy.Compact });
        byte[] batch = BatchFactory.Build(0, [TestRecord.Of("k", "v"), TestRecord.Of(null, "v")], CompressionType.Gzip);
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void AppendFailsWithInvalidRecordWhenACompressedPayloadDoesNotHoldItsRecords(CompressionType compression)
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Build(0, [TestRecord.Of("k", "v"), TestRecord.Of("k2", "v2")], compression);

        // Claim a third record the compressed payload does not hold, with a CRC that matches: only inflating the
        // payload shows the batch is wrong.
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 2);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 3);
        RecordBatchHeader.WriteCrc(batch);
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);

        // Garbage where the compressed payload should be, again with a matching CRC.
        byte[] garbage = BatchFactory.Build(0, [TestRecord.Of("k", "v")], compression);
        garbage.AsSpan(RecordBatchHeader.Size).Fill(0x5A);
        RecordBatchHeader.WriteCrc(garbage);
        error = Assert.Throws<StorageException>(() => fixture.Log.Append(garbage, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
        Assert.Equal(0, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void AppendStoresCompressedBatchAsReceivedWhenValid()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Build(0, [TestRecord.Of("k", "v"), TestRecord.Of("k2", "v2")], CompressionType.Gzip);
        fixture.Log.Append(batch.AsSpan().ToArray(), 0);
        byte[] stored = fixture.Log.Read(0, 1 << 20).Records.ToArray();
        Assert.Equal(batch.AsSpan(RecordBatchHeader.CrcOffset).ToArray(), stored.AsSpan(RecordBatchHeader.CrcOffset).ToArray());
        Assert.Equal(["k", "k2"], BatchFactory.Decode(stored).Select(r => r.Key));
    }

    [Fact]
    public void AppendFailsWithInvalidTimestampWhenCreateTimeIsTooOld()
    {
        using var fixture = new LogFixture(new LogConfig { MessageTimestampBeforeMaxMs = 1000 });
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(BatchFactory.Values(fixture.Time.NowMs - 5000, 1), 0));
        Assert.Equal(ErrorCode.InvalidTimestamp, error.ErrorCode);
    }

    [Fact]
    public void AppendFailsWithInvalidRecordWhenMagicIsNotTwo()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Values(0, 1);
        batch[RecordBatchHeader.MagicOffset] = 1;
        var error = Assert.Throws<StorageException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(ErrorCode.InvalidRecord, error.ErrorCode);
    }

    [Fact]
    public void AppendRecordsLeaderEpochStartWhenEpochChanges()
    {
        using var fixture = new LogFixture();
        fixture.Append(BatchFactory.Values(0, 2), epoch: 1);
        fixture.Append(BatchFactory.Values(0, 2), epoch: 1);
        fixture.Append(BatchFactory.Values(0, 2), epoch: 3);

        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(3, 4)], fixture.Log.LeaderEpochs.Entries);
        Assert.Equal((1, 4L), fixture.Log.LeaderEpochs.EndOffsetFor(2, fixture.Log.LogEndOffset));
        string checkpoint = File.ReadAllText(Path.Combine(fixture.Dir, "leader-epoch-checkpoint"));
        Assert.Equal("0\n2\n1 0\n3 4\n", checkpoint);
    }

    [Fact]
    public void AppendAsFollowerKeepsOffsetsWhenBatchesComeFromLeader()
    {
        using var leader = new LogFixture();
        leader.AppendValues(2);
        leader.AppendValues(3);
        byte[] replicated = leader.Log.Read(0, 1 << 20).Records.ToArray();

        using var follower = new LogFixture();
        AppendResult result = follower.Log.AppendAsFollower(replicated);

        Assert.Equal((0, 4), (result.FirstOffset, result.LastOffset));
        Assert.Equal(replicated, follower.Log.Read(0, 1 << 20).Records.ToArray());
    }

    [Fact]
    public void AppendFlushesWhenFlushMessagesReached()
    {
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 2 });
        fixture.AppendValues(1);
        Assert.Equal(0, fixture.Log.RecoveryPoint);
        fixture.AppendValues(1);
        Assert.Equal(2, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public void FlushIfDueFlushesWhenFlushMsPassed()
    {
        using var fixture = new LogFixture(new LogConfig { FlushMs = 1000 });
        fixture.AppendValues(2);
        fixture.Log.FlushIfDue();
        Assert.Equal(0, fixture.Log.RecoveryPoint);
        fixture.Time.Advance(1500);
        fixture.Log.FlushIfDue();
        Assert.Equal(2, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public void AppendFailsWithStorageErrorAndGoesOfflineWhenDiskIsFull()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Fail("/dev/full is needed to simulate a full disk.");
        }

        using var temp = new TempDirectory();
        string dir = temp.Sub("full-0");
        Directory.CreateDirectory(dir);
        File.CreateSymbolicLink(Path.Combine(dir, "00000000000000000000.log"), "/dev/full");
        string? failedDir = null;
        using PartitionLog log = PartitionLog.Open(dir, new TopicPartition("full", 0), LogConfig.Default, new LogLoadState(0, 0, 0, true), onStorageFailure: (d, _) => failedDir = d);

        var error = Assert.Throws<StorageException>(() => log.Append(BatchFactory.Values(0, 1), 0));
        Assert.Equal(ErrorCode.KafkaStorageError, error.ErrorCode);
        Assert.True(log.IsOffline);
        Assert.Equal(dir, failedDir);
        Assert.Equal(0, log.LogEndOffset);
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<StorageException>(() => log.Read(0, 100)).ErrorCode);
    }
}
