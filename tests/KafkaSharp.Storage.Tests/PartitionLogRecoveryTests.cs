using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogRecoveryTests
{
    private static string LogFile(LogFixture fixture, long baseOffset) => Path.Combine(fixture.Dir, $"{baseOffset:D20}.log");

    [Fact]
    public void OpenCutsTornTailWhenLastBatchIsPartial()
    {
        using var fixture = new LogFixture();
        for (int i = 0; i < 5; i++)
        {
            fixture.AppendValues(2, 50);
        }

        long goodLength = fixture.Log.Size;
        byte[] next = BatchFactory.Values(0, 2, 50);
        fixture.Log.CloseUncleanly();
        using (var stream = new FileStream(LogFile(fixture, 0), FileMode.Append))
        {
            stream.Write(next, 0, next.Length / 2);
        }

        PartitionLog log = fixture.Reopen(clean: false);
        Assert.Equal(10, log.LogEndOffset);
        Assert.Equal(goodLength, new FileInfo(LogFile(fixture, 0)).Length);
        Assert.Equal(10, fixture.AppendValues(1).FirstOffset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(200)]
    public void OpenCutsAtTornByteWhenFileTruncatedAnywhere(int cutFromEnd)
    {
        using var fixture = new LogFixture();
        var ends = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            fixture.AppendValues(2, 50);
            ends.Add(fixture.Log.Size);
        }

        long length = fixture.Log.Size;
        fixture.Log.CloseUncleanly();
        using (var stream = new FileStream(LogFile(fixture, 0), FileMode.Open))
        {
            stream.SetLength(length - cutFromEnd);
        }

        PartitionLog log = fixture.Reopen(clean: false);
        long kept = ends.LastOrDefault(e => e <= length - cutFromEnd);
        Assert.Equal(kept, log.Size);
        Assert.Equal((ends.IndexOf(kept) + 1) * 2, log.LogEndOffset);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void OpenDropsLaterSegmentsWhenATornSegmentsIndexPointsPastItsEnd(bool cleanShutdown, bool laterSegmentEmpty)
    {
        // A tear below the segment's last index entry fails the index sanity check, so the segment is rebuilt while
        // loading; the later segments must still go, or the log end would lie beyond a gap no read can cross.
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 100, FileDeleteDelayMs = 0 });
        var ends = new List<long>();
        for (int i = 0; i < 20; i++)
        {
            fixture.AppendValues(2, 50);
            ends.Add(fixture.Log.Size);
        }

        fixture.Log.Roll();
        if (!laterSegmentEmpty)
        {
            fixture.AppendValues(2, 50);
        }

        fixture.Log.CloseUncleanly();
        long cut = ends[9] + 30;
        using (var stream = new FileStream(LogFile(fixture, 0), FileMode.Open))
        {
            stream.SetLength(cut);
        }

        PartitionLog log = PartitionLog.Open(fixture.Dir, new TopicPartition("topic", 0), fixture.Config,
            new LogLoadState(cleanShutdown ? 42 : 0, 0, 0, cleanShutdown), fixture.Time);
        try
        {
            Assert.Equal(20, log.LogEndOffset);
            Assert.Equal(ends[9], new FileInfo(LogFile(fixture, 0)).Length);
            Assert.False(File.Exists(LogFile(fixture, 40)));
            for (long offset = 0; offset < log.LogEndOffset; offset++)
            {
                Assert.True(log.Read(offset, 1).Records.Length > 0, $"no batch at offset {offset}");
            }

            Assert.Equal(20, log.Append(BatchFactory.Values(0, 1), 0).FirstOffset);
        }
        finally
        {
            log.Dispose();
        }

        fixture.Reopen(clean: false);
    }

    [Fact]
    public void OpenTruncatesAtCorruptBatchAndDropsLaterSegmentsWhenBitFlipped()
    {
        using var fixture = new LogFixture(new LogConfig { FileDeleteDelayMs = 0 });
        for (int i = 0; i < 6; i++)
        {
            fixture.AppendValues(2, 50);
        }

        long thirdBatch = fixture.Log.TranslateOffset(4)!.Value.Position;
        fixture.Log.Roll();
        fixture.AppendValues(2, 50);
        fixture.Log.CloseUncleanly();
        using (var stream = new FileStream(LogFile(fixture, 0), FileMode.Open))
        {
            stream.Position = thirdBatch + 70;
            int b = stream.ReadByte();
            stream.Position = thirdBatch + 70;
            stream.WriteByte((byte)(b ^ 0x10));
        }

        PartitionLog log = fixture.Reopen(clean: false, recoveryPoint: 0);
        Assert.Equal(4, log.LogEndOffset);
        Assert.Equal([0L], log.SegmentBaseOffsets);
        Assert.False(File.Exists(LogFile(fixture, 12)));
        Assert.Equal([0L, 1, 2, 3], fixture.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void OpenSkipsRecoveryOfFlushedSegmentsWhenRecoveryPointIsPastThem()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        fixture.Log.Roll();
        fixture.AppendValues(2);
        fixture.Log.Flush();

        PartitionLog log = fixture.Reopen(clean: false, recoveryPoint: 4);
        Assert.Equal(4, log.LogEndOffset);
        Assert.Equal(4, fixture.ReadAll().Count);
    }

    [Fact]
    public void OpenRebuildsIndexWhenIndexFileMissing()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 100 });
        for (int i = 0; i < 50; i++)
        {
            fixture.AppendValues(2, 50);
        }

        fixture.Log.Roll();
        fixture.Log.Dispose();
        File.Delete(Path.Combine(fixture.Dir, "00000000000000000000.index"));
        File.Delete(Path.Combine(fixture.Dir, "00000000000000000000.timeindex"));

        PartitionLog log = PartitionLog.Open(fixture.Dir, new TopicPartition("topic", 0), fixture.Config, new LogLoadState(100, 0, 100, true), fixture.Time);
        try
        {
            Assert.True(new FileInfo(Path.Combine(fixture.Dir, "00000000000000000000.index")).Length > 0);
            Assert.Equal(100, log.LogEndOffset);
            Assert.Equal(60, RecordBatchHeader.Read(log.Read(61, 1).Records.ToArray()).BaseOffset);
        }
        finally
        {
            log.Dispose();
        }

        fixture.Reopen(clean: false);
    }

    [Fact]
    public void OpenRebuildsIndexWhenIndexEntriesAreCorrupt()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 100 });
        for (int i = 0; i < 50; i++)
        {
            fixture.AppendValues(2, 50);
        }

        fixture.Log.Roll();
        string index = Path.Combine(fixture.Dir, "00000000000000000000.index");
        fixture.Log.Dispose();
        byte[] bytes = File.ReadAllBytes(index);
        bytes.AsSpan(8, 8).Fill(0xFF);
        File.WriteAllBytes(index, bytes);

        PartitionLog log = fixture.Reopen(clean: true);
        Assert.Equal(bytes.Length, new FileInfo(index).Length);
        Assert.NotEqual(bytes, File.ReadAllBytes(index));
        Assert.Equal(30, RecordBatchHeader.Read(log.Read(31, 1).Records.ToArray()).BaseOffset);
    }

    [Fact]
    public void OpenRemovesCleanedFilesWhenCompactionWasInterruptedBeforeSwap()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        File.WriteAllBytes(Path.Combine(fixture.Dir, "00000000000000000000.log.cleaned"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(fixture.Dir, "00000000000000000000.index.cleaned"), []);

        PartitionLog log = fixture.Reopen(clean: false);
        Assert.False(File.Exists(Path.Combine(fixture.Dir, "00000000000000000000.log.cleaned")));
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public void OpenCompletesSwapWhenCompactionWasInterruptedAfterSwapRename()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        fixture.Log.Roll();
        fixture.AppendValues(2);
        fixture.Log.Roll();
        fixture.AppendValues(2);
        byte[] merged = [.. File.ReadAllBytes(Path.Combine(fixture.Dir, "00000000000000000000.log")), .. File.ReadAllBytes(Path.Combine(fixture.Dir, "00000000000000000002.log"))];
        fixture.Log.Dispose();

        // A committed cleaned replacement for segments 0 and 2 (offsets 0-3), as compaction leaves it before its last rename.
        File.WriteAllBytes(Path.Combine(fixture.Dir, "00000000000000000000.log.swap"), merged);
        PartitionLog log = PartitionLog.Open(fixture.Dir, new TopicPartition("topic", 0), fixture.Config, new LogLoadState(6, 0, 6, true), fixture.Time);
        try
        {
            Assert.Equal([0L, 4], log.SegmentBaseOffsets);
            Assert.False(File.Exists(Path.Combine(fixture.Dir, "00000000000000000000.log.swap")));
            Assert.False(File.Exists(Path.Combine(fixture.Dir, "00000000000000000002.log")));
            Assert.Equal(6, log.LogEndOffset);
            Assert.Equal(4, BatchFactory.Decode(log.Read(0, 1 << 20).Records.ToArray()).Count);
        }
        finally
        {
            log.Dispose();
        }

        fixture.Reopen(clean: false);
    }

    [Fact]
    public void OpenRemovesDeletedFilesWhenDeletionWasInterrupted()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        File.WriteAllBytes(Path.Combine(fixture.Dir, "00000000000000000000.log.deleted"), [1]);
        fixture.Reopen(clean: false);
        Assert.False(File.Exists(Path.Combine(fixture.Dir, "00000000000000000000.log.deleted")));
    }

    [Fact]
    public void OpenRestoresMaxTimestampWhenReopenedCleanly()
    {
        using var fixture = new LogFixture();
        fixture.Append(BatchFactory.Values(5000, 3));
        fixture.Append(BatchFactory.Values(9000, 1));
        PartitionLog log = fixture.Reopen();
        Assert.Equal(new TimestampAndOffset(9000, 3), log.LargestTimestamp());
    }
}
