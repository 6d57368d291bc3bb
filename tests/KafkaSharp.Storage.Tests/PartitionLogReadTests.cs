using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogReadTests
{
    private static List<long> BaseOffsets(byte[] bytes)
    {
        var offsets = new List<long>();
        ReadOnlySpan<byte> span = bytes;
        while (!span.IsEmpty)
        {
            RecordBatchHeader header = RecordBatchHeader.Read(span);
            offsets.Add(header.BaseOffset);
            span = span[header.TotalSize..];
        }

        return offsets;
    }

    [Fact]
    public void ReadReturnsWholeBatchWhenOffsetIsInsideIt()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(5);
        fixture.AppendValues(5);

        LogReadResult read = fixture.Log.Read(7, 1 << 20);
        Assert.Equal([5L], BaseOffsets(read.Records.ToArray()));
    }

    [Fact]
    public void ReadStopsAtBatchBoundaryWhenBudgetEndsInsideBatch()
    {
        using var fixture = new LogFixture();
        int size = fixture.Log.Size == 0 ? BatchFactory.Values(0, 2, 100).Length : 0;
        for (int i = 0; i < 5; i++)
        {
            fixture.Append(BatchFactory.Values(0, 2, 100));
        }

        LogReadResult read = fixture.Log.Read(0, (size * 2) + (size / 2));
        Assert.Equal(size * 2, read.Records.Length);
        Assert.Equal([0L, 2], BaseOffsets(read.Records.ToArray()));
    }

    [Fact]
    public void ReadReturnsOneWholeBatchWhenItExceedsBudget()
    {
        using var fixture = new LogFixture();
        fixture.Append(BatchFactory.Values(0, 3, 500));
        fixture.AppendValues(1);

        LogReadResult read = fixture.Log.Read(0, 10);
        Assert.Equal([0L], BaseOffsets(read.Records.ToArray()));
        Assert.True(read.Records.Length > 10);
        Assert.True(fixture.Log.Read(0, 10, minOneBatch: false).Records.IsEmpty);
    }

    [Fact]
    public void ReadFailsWithOffsetOutOfRangeWhenBeyondLogEnd()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);

        Assert.True(fixture.Log.Read(2, 100).Records.IsEmpty);
        var error = Assert.Throws<StorageException>(() => fixture.Log.Read(3, 100));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.ErrorCode);
    }

    [Fact]
    public void ReadStopsBeforeBatchWhenItStartsAtMaxOffset()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        fixture.AppendValues(2);
        fixture.AppendValues(2);

        LogReadResult read = fixture.Log.Read(0, 1 << 20, maxOffsetExclusive: 4);
        Assert.Equal([0L, 2], BaseOffsets(read.Records.ToArray()));
    }

    [Fact]
    public void ReadContinuesInNextSegmentWhenOffsetIsAtSegmentStart()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(2);
        fixture.Log.Roll();
        fixture.AppendValues(2);

        Assert.Equal(2, fixture.Log.SegmentCount);
        Assert.Equal([2L], BaseOffsets(fixture.Log.Read(2, 1 << 20).Records.ToArray()));
        Assert.Equal([0L], BaseOffsets(fixture.Log.Read(1, 1 << 20).Records.ToArray()));
    }

    [Fact]
    public void ReadUsesIndexWhenSegmentHasManyBatches()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 100 });
        for (int i = 0; i < 200; i++)
        {
            fixture.AppendValues(2, 50);
        }

        for (long offset = 0; offset < 400; offset += 37)
        {
            LogReadResult read = fixture.Log.Read(offset, 1);
            Assert.Equal(offset - (offset % 2), BaseOffsets(read.Records.ToArray())[0]);
        }
    }

    [Fact]
    public void ReadIsConsistentWhenWriterAppendsConcurrently()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 16 * 1024 });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                fixture.Log.Append(BatchFactory.Values(0, 3, 40), 0);
            }
        });

        long next = 0;
        while (next < 1500 && !cts.IsCancellationRequested)
        {
            if (next >= fixture.Log.LogEndOffset)
            {
                continue;
            }

            byte[] bytes = fixture.Log.Read(next, 4096).Records.ToArray();
            ReadOnlySpan<byte> span = bytes;
            while (!span.IsEmpty)
            {
                RecordBatchHeader header = RecordBatchHeader.Read(span);
                Assert.Equal(next, header.BaseOffset);
                Assert.True(RecordBatchHeader.IsCrcValid(span[..header.TotalSize]));
                next = header.NextOffset;
                span = span[header.TotalSize..];
            }
        }

        writer.Wait(cts.Token);
        Assert.Equal(1500, next);
    }
}
