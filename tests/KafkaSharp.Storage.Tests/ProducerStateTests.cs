using KafkaSharp.Protocol;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Producers;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

/// <summary>Idempotent-producer checks on append: Kafka 3.9's ProducerStateManager/ProducerAppendInfo rules.</summary>
public class ProducerStateTests
{
    private const long Pid = 1000;

    private static AppendResult Produce(LogFixture fixture, short epoch, int sequence, int count, long producerId = Pid) =>
        fixture.Append(BatchFactory.Idempotent(producerId, epoch, sequence, count, fixture.Time.NowMs));

    private static ErrorCode Rejected(LogFixture fixture, short epoch, int sequence, int count = 1, long producerId = Pid)
    {
        long end = fixture.Log.LogEndOffset;
        var e = Assert.Throws<StorageException>(() => Produce(fixture, epoch, sequence, count, producerId));
        Assert.Equal(end, fixture.Log.LogEndOffset);
        return e.ErrorCode;
    }

    [Fact]
    public void InSequenceBatchesAreAppendedAndTracked()
    {
        using var fixture = new LogFixture();
        Assert.Equal(0, Produce(fixture, 0, 0, 3).FirstOffset);
        Assert.Equal(3, Produce(fixture, 0, 3, 2).FirstOffset);
        Assert.True(fixture.Log.ProducerState.TryGet(Pid, out ProducerStateEntry entry));
        Assert.Equal(4, entry.LastSequence);
        Assert.Equal(4, entry.LastOffset);
        Assert.Equal(2, entry.BatchCount);
    }

    [Fact]
    public void RetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 3);
        Produce(fixture, 0, 3, 2);
        Produce(fixture, 0, 5, 4);
        long end = fixture.Log.LogEndOffset;

        AppendResult retry = Produce(fixture, 0, 3, 2);

        Assert.Equal(3, retry.FirstOffset);
        Assert.Equal(4, retry.LastOffset);
        Assert.Equal(0, retry.RecordCount);
        Assert.Equal(end, fixture.Log.LogEndOffset);
        Assert.Equal(9, fixture.ReadAll().Count);
    }

    [Fact]
    public void OnlyTheLastFiveBatchesAreRememberedForDuplicates()
    {
        using var fixture = new LogFixture();
        for (int i = 0; i < 6; i++)
        {
            Produce(fixture, 0, i, 1);
        }

        Assert.Equal(1, Produce(fixture, 0, 1, 1).FirstOffset); // fifth-last: still cached
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 0, 0)); // sixth-last: forgotten
    }

    [Fact]
    public void GapIsOutOfOrderSequence()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 2);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 0, 3));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 0, 1)); // overlaps, matches no cached batch
        Assert.Equal(2, Produce(fixture, 0, 2, 1).FirstOffset);
    }

    [Fact]
    public void OlderEpochIsInvalidProducerEpoch()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 3, 0, 1);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Rejected(fixture, 2, 1));
    }

    [Fact]
    public void NewEpochMustStartAtSequenceZero()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 5);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 1, 5));
        Produce(fixture, 1, 0, 1);
        Assert.True(fixture.Log.ProducerState.TryGet(Pid, out ProducerStateEntry entry));
        Assert.Equal(1, entry.Epoch);
        Assert.Equal(1, entry.BatchCount); // the old epoch's batches are forgotten
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Rejected(fixture, 0, 5));
    }

    [Fact]
    public void UnknownProducerMayStartAtAnySequence()
    {
        // Since KIP-360 (Kafka 2.5) the broker accepts it: the producer's state may have expired or been removed by retention.
        using var fixture = new LogFixture();
        Assert.Equal(0, Produce(fixture, 4, 17, 2).FirstOffset);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 4, 20));
        Assert.Equal(2, Produce(fixture, 4, 19, 1).FirstOffset);
    }

    [Fact]
    public void SequenceWrapsAroundAtInt32MaxValue()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, int.MaxValue - 2, 3);
        Assert.Equal(3, Produce(fixture, 0, 0, 2).FirstOffset);

        // A batch that itself wraps: last sequence = 1 with base MaxValue - 1 and 4 records.
        using var other = new LogFixture();
        Produce(other, 0, int.MaxValue - 1, 4);
        Assert.True(other.Log.ProducerState.TryGet(Pid, out ProducerStateEntry entry));
        Assert.Equal(1, entry.LastSequence);
        Assert.Equal(0, Produce(other, 0, int.MaxValue - 1, 4).FirstOffset); // its retry is recognised
        Assert.Equal(4, Produce(other, 0, 2, 1).FirstOffset);
    }

    [Fact]
    public void ProducersAreIndependent()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 1, producerId: 1);
        Produce(fixture, 0, 0, 1, producerId: 2);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 0, 5, producerId: 1));
        Assert.Equal(2, Produce(fixture, 0, 1, 1, producerId: 2).FirstOffset);
    }

    [Fact]
    public void NegativeSequenceAndTransactionalBatchesAreRejected()
    {
        using var fixture = new LogFixture();
        Assert.Equal(ErrorCode.InvalidRecord, Rejected(fixture, 0, -5));

        using var builder = new KafkaSharp.Protocol.Records.RecordBatchBuilder { ProducerId = Pid, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true };
        builder.Append(fixture.Time.NowMs, null, [1]);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        var e = Assert.Throws<StorageException>(() => fixture.Append(output.WrittenSpan.ToArray()));
        Assert.Equal(ErrorCode.InvalidTxnState, e.ErrorCode);
    }

    [Fact]
    public void BatchesWithoutProducerIdSkipTheChecks()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(3);
        fixture.AppendValues(3);
        Assert.Equal(0, fixture.Log.ProducerState.ProducerCount);
    }

    [Fact]
    public void IdleProducersExpireAfterProducerIdExpirationMs()
    {
        using var fixture = new LogFixture();
        fixture.ProducerOptions.ProducerIdExpirationMs = 60_000;
        Produce(fixture, 0, 0, 1, producerId: 1);
        fixture.Time.Advance(30_000);
        Produce(fixture, 0, 0, 1, producerId: 2);
        fixture.Time.Advance(30_000);

        Assert.Equal(1, fixture.Log.RemoveExpiredProducers());
        Assert.False(fixture.Log.ProducerState.TryGet(1, out _));
        Assert.True(fixture.Log.ProducerState.TryGet(2, out _));

        // Forgotten: it may continue at any sequence, as an unknown producer.
        Assert.Equal(2, Produce(fixture, 0, 7, 1, producerId: 1).FirstOffset);
    }

    [Fact]
    public void FollowerAppendsUpdateStateWithoutChecks()
    {
        using var fixture = new LogFixture();
        byte[] batch = BatchFactory.Idempotent(Pid, 0, 10, 2, fixture.Time.NowMs);
        fixture.Log.AppendAsFollower(batch);
        Assert.True(fixture.Log.ProducerState.TryGet(Pid, out ProducerStateEntry entry));
        Assert.Equal(11, entry.LastSequence);
    }

    [Fact]
    public void SnapshotLayoutMatchesKafkasProducerSnapshotVersion1()
    {
        var entry = new ProducerStateEntry(0x0102030405060708, 7, 1_700_000_000_123);
        entry.AddBatch(7, new ProducerBatchMetadata(41, 99, 2, 1_700_000_000_123));
        byte[] bytes = ProducerSnapshotFile.Serialize([entry]);

        Assert.Equal(2 + 4 + 4 + 46, bytes.Length);
        Assert.Equal([0, 1], bytes[..2]); // version 1
        Assert.Equal(KafkaSharp.Protocol.Records.Crc32C.Compute(bytes.AsSpan(6)), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2)));
        Assert.Equal([0, 0, 0, 1], bytes[6..10]); // one entry (int32 array length: the schema is not flexible)
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 0, 7, 0, 0, 0, 41, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 2], bytes[10..36]);
        Assert.Equal(1_700_000_000_123, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(36)));
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], bytes[44..56]); // coordinator epoch -1, no txn

        ProducerStateEntry read = Assert.Single(ProducerSnapshotFile.Parse(bytes));
        Assert.Equal((entry.ProducerId, entry.Epoch, entry.LastSequence, entry.LastOffset, entry.LastOffsetDelta, entry.LastTimestamp),
            (read.ProducerId, read.Epoch, read.LastSequence, read.LastOffset, read.LastOffsetDelta, read.LastTimestamp));
        Assert.Equal(39, read.BatchAt(0).FirstSequence);

        bytes[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => ProducerSnapshotFile.Parse(bytes));
    }

    [Fact]
    public void CleanShutdownWritesSnapshotAtLogEndAndReopenRestoresState()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 3);
        Produce(fixture, 0, 3, 2);
        fixture.Reopen();

        Assert.True(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, 5)));
        Assert.Equal(3, Produce(fixture, 0, 3, 2).FirstOffset); // the last batch survives in the snapshot
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Rejected(fixture, 0, 6));
        Assert.Equal(5, Produce(fixture, 0, 5, 1).FirstOffset);
    }

    [Fact]
    public void RollSnapshotsStateAndReopenReplaysOnlyTheBatchesAfterIt()
    {
        using var fixture = new LogFixture(new LogConfig { FileDeleteDelayMs = 0, SegmentBytes = 400 });
        int sequence = 0;
        while (fixture.Log.SegmentCount < 3)
        {
            Produce(fixture, 0, sequence, 2);
            sequence += 2;
        }

        fixture.Log.Flush();
        long lastSegment = fixture.Log.SegmentBaseOffsets[^1];
        Assert.True(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, lastSegment)));

        // A crash loses the shutdown snapshot: state comes from the roll snapshot plus the active segment's batches.
        fixture.Reopen(clean: false, recoveryPoint: lastSegment);
        Assert.Equal(fixture.Log.LogEndOffset - 2, Produce(fixture, 0, sequence - 2, 2).FirstOffset);
        Assert.Equal(fixture.Log.LogEndOffset, Produce(fixture, 0, sequence, 1).FirstOffset);
    }

    [Fact]
    public void UncleanCloseWithoutSnapshotsRebuildsFromTheLog()
    {
        using var fixture = new LogFixture();
        for (int i = 0; i < 8; i++)
        {
            Produce(fixture, 0, i * 2, 2);
        }

        fixture.Reopen(clean: false);
        Assert.Empty(ProducerSnapshotFile.List(fixture.Dir));

        // All five last batches are known again, so any retry of them is answered with its offsets.
        for (int i = 3; i < 8; i++)
        {
            Assert.Equal(i * 2, Produce(fixture, 0, i * 2, 2).FirstOffset);
        }

        Assert.Equal(16, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void CorruptSnapshotIsDeletedAndStateRebuiltFromTheLog()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 2);
        Produce(fixture, 0, 2, 2);
        fixture.Reopen();
        string snapshot = ProducerSnapshotFile.PathFor(fixture.Dir, 4);
        File.WriteAllBytes(snapshot, [0, 1, 2, 3]);
        fixture.Reopen(clean: false);

        Assert.Equal(0, Produce(fixture, 0, 0, 2).FirstOffset);
        Assert.Equal(4, Produce(fixture, 0, 4, 1).FirstOffset);
    }

    [Fact]
    public void SnapshotsPastTheLogEndAreDeletedOnLoad()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 2);
        fixture.Log.CloseUncleanly();
        ProducerSnapshotFile.Write(ProducerSnapshotFile.PathFor(fixture.Dir, 50), ProducerSnapshotFile.Serialize([]), sync: false);
        fixture.Reopen(clean: false);
        Assert.False(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, 50)));
        Assert.Equal(2, Produce(fixture, 0, 2, 1).FirstOffset);
    }

    [Fact]
    public void RetentionDeletesSnapshotsWithTheirSegments()
    {
        using var fixture = new LogFixture(new LogConfig { FileDeleteDelayMs = 0, SegmentBytes = 400 });
        int sequence = 0;
        while (fixture.Log.SegmentCount < 4)
        {
            Produce(fixture, 0, sequence, 2);
            sequence += 2;
        }

        fixture.Log.Flush();
        IReadOnlyList<long> bases = fixture.Log.SegmentBaseOffsets;
        Assert.All(bases.Skip(1), b => Assert.True(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, b))));
        fixture.Log.DeleteRecordsBefore(bases[2]);

        Assert.False(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, bases[1])));
        Assert.True(File.Exists(ProducerSnapshotFile.PathFor(fixture.Dir, bases[2])));
        Assert.Equal(fixture.Log.LogEndOffset, Produce(fixture, 0, sequence, 1).FirstOffset); // state survives retention
    }

    [Fact]
    public void TruncationReloadsStateAsOfTheNewEnd()
    {
        using var fixture = new LogFixture();
        Produce(fixture, 0, 0, 2);
        Produce(fixture, 0, 2, 2);
        Produce(fixture, 0, 4, 2);
        fixture.Log.TruncateTo(4);

        Assert.True(fixture.Log.ProducerState.TryGet(Pid, out ProducerStateEntry entry));
        Assert.Equal(3, entry.LastSequence);
        Assert.Equal(4, Produce(fixture, 0, 4, 2).FirstOffset);

        fixture.Log.TruncateFullyAndStartAt(100);
        Assert.Equal(0, fixture.Log.ProducerState.ProducerCount);
    }
}
