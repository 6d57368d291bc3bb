using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Cleaner;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class LogCompactorTests
{
    private static LogConfig Compacted(long deleteRetentionMs = 1000, double ratio = 0.5, long lagMs = 0) => new()
    {
        CleanupPolicy = CleanupPolicy.Compact,
        FileDeleteDelayMs = 0,
        DeleteRetentionMs = deleteRetentionMs,
        MinCleanableDirtyRatio = ratio,
        MinCompactionLagMs = lagMs,
    };

    private static void Put(LogFixture fixture, string key, string? value) =>
        fixture.Append(BatchFactory.Batch(fixture.Time.NowMs, TestRecord.Of(key, value)));

    private static Dictionary<string, (long Offset, string? Value)> Latest(IEnumerable<(long Offset, string? Key, string? Value, long Timestamp)> records)
    {
        var latest = new Dictionary<string, (long, string?)>();
        foreach (var record in records)
        {
            latest[record.Key!] = (record.Offset, record.Value);
        }

        return latest;
    }

    [Fact]
    public void CleanKeepsOnlyLatestRecordPerKeyWhenKeysOverwrittenManyTimes()
    {
        using var fixture = new LogFixture(Compacted());
        var random = new Random(42);
        for (int i = 0; i < 300; i++)
        {
            Put(fixture, "key" + random.Next(10), "v" + i);
            if (i % 50 == 49)
            {
                fixture.Log.Roll();
            }
        }

        var before = fixture.ReadAll();
        var expected = Latest(before.Where(r => r.Offset < fixture.Log.SegmentBaseOffsets[^1]));
        LogCompactor.Result result = LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs);

        var after = fixture.ReadAll();
        Assert.True(result.Cleaned);
        Assert.Equal(300, result.FirstDirtyOffset);
        Assert.Equal(Latest(before), Latest(after));
        var cleanedPart = after.Where(r => r.Offset < 300).ToList();
        Assert.Equal(expected.Count, cleanedPart.Count);
        Assert.All(cleanedPart, r => Assert.Equal(expected[r.Key!].Offset, r.Offset));
        Assert.Equal(300, fixture.Log.LogEndOffset);
        Assert.True(fixture.Log.Size < before.Count * 70);
    }

    [Fact]
    public void CleanPreservesOffsetsAndCrcsWhenBatchesAreRewritten()
    {
        using var fixture = new LogFixture(Compacted());
        fixture.Append(BatchFactory.Batch(fixture.Time.NowMs, TestRecord.Of("a", "1"), TestRecord.Of("b", "1"), TestRecord.Of("c", "1")));
        fixture.Append(BatchFactory.Batch(fixture.Time.NowMs, TestRecord.Of("b", "2")));
        fixture.Log.Roll();
        Put(fixture, "z", "1");

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs);

        byte[] bytes = fixture.Log.Read(0, 1 << 20).Records.ToArray();
        RecordBatchHeader first = RecordBatchHeader.Read(bytes);
        Assert.True(RecordBatchHeader.IsCrcValid(bytes.AsSpan(0, first.TotalSize)));
        Assert.Equal((0, 2, 2), (first.BaseOffset, first.LastOffsetDelta, first.RecordCount));
        Assert.Equal([(0L, "a", "1"), (2L, "c", "1"), (3L, "b", "2")],
            fixture.ReadAll().Where(r => r.Offset < 4).Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void CleanRemovesTombstoneOnlyWhenDeleteRetentionPassedAfterFirstClean()
    {
        using var fixture = new LogFixture(Compacted(deleteRetentionMs: 1000));
        Put(fixture, "a", "1");
        Put(fixture, "b", "1");
        Put(fixture, "a", null);
        fixture.Log.Roll();
        Put(fixture, "c", "1");

        LogCompactor.Result first = LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true);
        Assert.Equal([(1L, "b", "1"), (2L, "a", null)], fixture.ReadAll().Where(r => r.Offset < 3).Select(r => (r.Offset, r.Key, r.Value)));

        fixture.Time.Advance(5000);
        fixture.Log.Roll();
        Put(fixture, "d", "1");
        LogCompactor.Clean(fixture.Log, first.FirstDirtyOffset, fixture.Time.NowMs, force: true);
        Assert.Equal([(1L, "b", "1"), (3L, "c", "1")], fixture.ReadAll().Where(r => r.Offset < 4).Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void CleanSkipsLogWhenDirtyRatioBelowMinimum()
    {
        using var fixture = new LogFixture(Compacted(ratio: 0.9));
        for (int i = 0; i < 10; i++)
        {
            Put(fixture, "k" + i, "v");
        }

        fixture.Log.Roll();
        Put(fixture, "k0", "v2");
        LogCompactor.Result first = LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs);
        Assert.True(first.Cleaned);

        fixture.Log.Roll();
        Put(fixture, "k1", "v2");
        LogCompactor.Result second = LogCompactor.Clean(fixture.Log, first.FirstDirtyOffset, fixture.Time.NowMs);
        Assert.False(second.Cleaned);
        Assert.True(second.DirtyRatio < 0.9);
    }

    [Fact]
    public void CleanLeavesRecentSegmentsWhenYoungerThanMinCompactionLag()
    {
        using var fixture = new LogFixture(Compacted(lagMs: 10_000));
        Put(fixture, "a", "1");
        Put(fixture, "a", "2");
        fixture.Log.Roll();
        Put(fixture, "a", "3");

        Assert.False(LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true).Cleaned);
        Assert.Equal(3, fixture.ReadAll().Count);

        fixture.Time.Advance(20_000);
        Assert.True(LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true).Cleaned);
        Assert.Equal([1L, 2], fixture.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void CleanRecompressesCompressedBatchWhenSomeRecordsAreSuperseded()
    {
        using var fixture = new LogFixture(Compacted());
        byte[] gzip = BatchFactory.Build(fixture.Time.NowMs, [TestRecord.Of("a", "1"), TestRecord.Of("b", "1"), TestRecord.Of("a", "2")], CompressionType.Gzip);
        fixture.Append(gzip);
        Put(fixture, "a", "3");
        fixture.Log.Roll();
        Put(fixture, "c", "1");

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true);

        byte[] bytes = fixture.Log.Read(0, 1 << 20).Records.ToArray();
        RecordBatchHeader first = RecordBatchHeader.Read(bytes);
        Assert.Equal(CompressionType.Gzip, first.Compression);
        Assert.Equal((0, 2, 1), (first.BaseOffset, first.LastOffsetDelta, first.RecordCount));
        Assert.True(RecordBatchHeader.IsCrcValid(bytes.AsSpan(0, first.TotalSize)));
        Assert.Equal([(1L, "b", "1"), (3L, "a", "3"), (4L, "c", "1")], fixture.ReadAll().Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void CleanDropsCompressedBatchWhenEveryRecordIsSuperseded()
    {
        using var fixture = new LogFixture(Compacted());
        fixture.Append(BatchFactory.Build(fixture.Time.NowMs, [TestRecord.Of("a", "1"), TestRecord.Of("a", "2")], CompressionType.Gzip));
        Put(fixture, "a", "3");
        fixture.Log.Roll();
        Put(fixture, "b", "1");

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true);

        Assert.Equal([2L, 3], fixture.ReadAll().Select(r => r.Offset));
        Assert.Equal(2, RecordBatchHeader.Read(fixture.Log.Read(0, 1 << 20).Records.ToArray()).BaseOffset);
    }

    [Fact]
    public void CleanLeavesReadersConsistentWhenReadingDuringCompaction()
    {
        // Readers stay safe across a swap because replaced segments are deleted only after file.delete.delay.ms
        // (Kafka's default, 60 s), so a slice handed out just before the swap can still be copied.
        using var fixture = new LogFixture(Compacted() with { SegmentBytes = 4096, FileDeleteDelayMs = 60_000 });
        for (int i = 0; i < 400; i++)
        {
            Put(fixture, "k" + (i % 7), "v" + i);
        }

        var expectedLatest = Latest(fixture.ReadAll());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reader = Task.Run(() =>
        {
            int passes = 0;
            while (!cts.IsCancellationRequested && passes < 50)
            {
                var seen = fixture.ReadAll();
                Assert.True(seen.Select(r => r.Offset).SequenceEqual(seen.Select(r => r.Offset).Order()), "offsets must increase");
                Assert.Equal(expectedLatest, Latest(seen));
                passes++;
            }
        });

        long checkpoint = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            checkpoint = LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true).FirstDirtyOffset;
        }

        reader.Wait(cts.Token);
        Assert.Equal(expectedLatest, Latest(fixture.ReadAll()));
        Assert.True(checkpoint > 0);
    }

    [Fact]
    public void UncleanRestartKeepsLaterSegmentsWhenCompactionEmptiedOne()
    {
        using var fixture = new LogFixture(Compacted() with { SegmentBytes = 100 });
        Put(fixture, "a", "1");
        fixture.Log.Roll();
        Put(fixture, "a", "2");
        fixture.Log.Roll();
        Put(fixture, "b", "1");

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true);
        Assert.Equal([0L, 1, 2], fixture.Log.SegmentBaseOffsets);
        Assert.Equal([1L, 2], fixture.ReadAll().Select(r => r.Offset));

        fixture.Reopen(clean: false, recoveryPoint: 0);
        Assert.Equal(3, fixture.Log.LogEndOffset);
        Assert.Equal([1L, 2], fixture.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void CleanedLogSurvivesRestartWhenReopened()
    {
        using var fixture = new LogFixture(Compacted());
        for (int i = 0; i < 100; i++)
        {
            Put(fixture, "k" + (i % 5), "v" + i);
            if (i % 20 == 19)
            {
                fixture.Log.Roll();
            }
        }

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs);
        var cleaned = fixture.ReadAll();
        fixture.Reopen(clean: false);
        Assert.Equal(cleaned, fixture.ReadAll());
        Assert.DoesNotContain(Directory.GetFiles(fixture.Dir), f => f.EndsWith(".swap", StringComparison.Ordinal) || f.EndsWith(".cleaned", StringComparison.Ordinal));
    }

    [Fact]
    public void CleanKeepsEachProducersLastBatchAsAnEmptyHeaderSoItsSequenceSurvivesAReload()
    {
        using var fixture = new LogFixture(Compacted());
        static byte[] Keyed(long producerId, int sequence, string key, long now)
        {
            using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = 0, BaseSequence = sequence };
            builder.Append(now, System.Text.Encoding.UTF8.GetBytes(key), [1]);
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            builder.WriteTo(output);
            return output.WrittenSpan.ToArray();
        }

        fixture.Append(Keyed(7, 0, "k", fixture.Time.NowMs));      // offset 0: producer 7's last batch, overwritten below
        fixture.Append(Keyed(8, 0, "k", fixture.Time.NowMs));      // offset 1: producer 8's first batch, not its last
        fixture.Append(Keyed(8, 1, "k", fixture.Time.NowMs));      // offset 2
        Put(fixture, "k", "latest");                               // offset 3
        fixture.Log.Roll();

        LogCompactor.Clean(fixture.Log, 0, fixture.Time.NowMs, force: true);

        Assert.Equal([(3L, "k", "latest")], fixture.ReadAll().Select(r => (r.Offset, r.Key!, r.Value!)));
        foreach (long snapshot in KafkaSharp.Storage.Producers.ProducerSnapshotFile.List(fixture.Dir))
        {
            File.Delete(KafkaSharp.Storage.Producers.ProducerSnapshotFile.PathFor(fixture.Dir, snapshot));
        }

        fixture.Reopen(clean: false);
        Assert.True(fixture.Log.ProducerState.TryGet(7, out var seven));
        Assert.Equal((0, 0L), (seven.LastSequence, seven.LastOffset));
        Assert.True(fixture.Log.ProducerState.TryGet(8, out var eight));
        Assert.Equal((1, 2L), (eight.LastSequence, eight.LastOffset));
        Assert.Equal(0, fixture.Append(Keyed(7, 0, "k", fixture.Time.NowMs)).FirstOffset); // a retry is still recognised
        var gap = Assert.Throws<KafkaSharp.Storage.Errors.StorageException>(() => fixture.Append(Keyed(8, 5, "k", fixture.Time.NowMs)));
        Assert.Equal(KafkaSharp.Protocol.ErrorCode.OutOfOrderSequenceNumber, gap.ErrorCode);
    }
}
