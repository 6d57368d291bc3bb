using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogRollTests
{
    [Fact]
    public void AppendRollsWhenSegmentBytesWouldBeExceeded()
    {
        int batchSize = BatchFactory.Values(0, 1, 100).Length;
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = (batchSize * 3) + 1 });
        for (int i = 0; i < 7; i++)
        {
            fixture.AppendValues(1, 100);
        }

        Assert.Equal([0L, 3, 6], fixture.Log.SegmentBaseOffsets);
        Assert.True(File.Exists(Path.Combine(fixture.Dir, "00000000000000000003.log")));
        Assert.True(File.Exists(Path.Combine(fixture.Dir, "00000000000000000003.index")));
        Assert.True(File.Exists(Path.Combine(fixture.Dir, "00000000000000000003.timeindex")));
    }

    [Fact]
    public void AppendRollsWhenSegmentMsPassedSinceFirstBatch()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentMs = 1000 });
        fixture.AppendValues(1);
        fixture.Time.Advance(500);
        fixture.AppendValues(1);
        fixture.Time.Advance(600);
        fixture.AppendValues(1);

        Assert.Equal([0L, 2], fixture.Log.SegmentBaseOffsets);
    }

    [Fact]
    public void RollIfDueRollsWhenSegmentMsPassedWithoutAppends()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentMs = 1000 });
        fixture.AppendValues(1);
        fixture.Log.RollIfDue();
        Assert.Equal(1, fixture.Log.SegmentCount);
        fixture.Time.Advance(2000);
        fixture.Log.RollIfDue();
        Assert.Equal([0L, 1], fixture.Log.SegmentBaseOffsets);
    }

    [Fact]
    public void AppendRollsWhenOffsetIndexIsFull()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 1, SegmentIndexBytes = 8 * 4 });
        for (int i = 0; i < 12; i++)
        {
            fixture.AppendValues(1);
        }

        Assert.True(fixture.Log.SegmentCount >= 2);
        long indexLength = new FileInfo(Path.Combine(fixture.Dir, "00000000000000000000.index")).Length;
        Assert.Equal(32, indexLength);
    }

    [Fact]
    public void RollTrimsPreallocatedIndexesWhenSegmentBecomesInactive()
    {
        using var fixture = new LogFixture();
        Assert.Equal(10 * 1024 * 1024, new FileInfo(Path.Combine(fixture.Dir, "00000000000000000000.index")).Length);
        fixture.AppendValues(1);
        fixture.Log.Roll();

        Assert.Equal(0, new FileInfo(Path.Combine(fixture.Dir, "00000000000000000000.index")).Length);
        Assert.Equal(12, new FileInfo(Path.Combine(fixture.Dir, "00000000000000000000.timeindex")).Length);
        Assert.Equal(10 * 1024 * 1024, new FileInfo(Path.Combine(fixture.Dir, "00000000000000000001.index")).Length);
    }

    [Fact]
    public void RollDoesNothingWhenActiveSegmentIsEmpty()
    {
        using var fixture = new LogFixture();
        fixture.Log.Roll();
        Assert.Equal(1, fixture.Log.SegmentCount);
    }

    [Fact]
    public void RollMakesPreviousSegmentDurableWhenFlushCompletes()
    {
        using var fixture = new LogFixture();
        fixture.AppendValues(3);
        fixture.Log.Roll();
        fixture.Log.Flush();
        Assert.Equal(3, fixture.Log.RecoveryPoint);
    }
}
