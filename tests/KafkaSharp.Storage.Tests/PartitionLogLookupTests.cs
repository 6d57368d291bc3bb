using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class PartitionLogLookupTests
{
    [Fact]
    public void FindOffsetByTimestampReturnsFirstRecordAtOrAfterTimestamp()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 50 });
        for (int i = 0; i < 20; i++)
        {
            // Batch i holds records at 1000*i, 1000*i + 100, 1000*i + 200.
            fixture.Append(BatchFactory.Batch(1000L * i, TestRecord.Of("a", "1"), TestRecord.Of("b", "2", 100), TestRecord.Of("c", "3", 200)));
            if (i == 9)
            {
                fixture.Log.Roll();
            }
        }

        Assert.Equal(new TimestampAndOffset(5100, 16), fixture.Log.FindOffsetByTimestamp(5050));
        Assert.Equal(new TimestampAndOffset(12000, 36), fixture.Log.FindOffsetByTimestamp(11201));
        Assert.Equal(new TimestampAndOffset(0, 0), fixture.Log.FindOffsetByTimestamp(0));
        Assert.Null(fixture.Log.FindOffsetByTimestamp(50_000));
    }

    [Fact]
    public void FindOffsetByTimestampAnswersSpecialTimestampsWhenAsked()
    {
        using var fixture = new LogFixture();
        fixture.Append(BatchFactory.Values(100, 2));
        fixture.Append(BatchFactory.Values(900, 1));
        fixture.Append(BatchFactory.Values(300, 2));

        Assert.Equal(5, fixture.Log.FindOffsetByTimestamp(PartitionLog.LatestTimestamp)!.Value.Offset);
        Assert.Equal(0, fixture.Log.FindOffsetByTimestamp(PartitionLog.EarliestTimestamp)!.Value.Offset);
        Assert.Equal(new TimestampAndOffset(900, 2), fixture.Log.FindOffsetByTimestamp(PartitionLog.MaxTimestampQuery));
    }

    [Fact]
    public void TranslateOffsetReturnsBatchPositionWhenOffsetInsideBatch()
    {
        using var fixture = new LogFixture();
        int size = BatchFactory.Values(0, 3).Length;
        fixture.AppendValues(3);
        fixture.AppendValues(3);

        Assert.Equal((0L, (long)size), fixture.Log.TranslateOffset(4));
        Assert.Equal((0L, 0L), fixture.Log.TranslateOffset(2));
        Assert.Null(fixture.Log.TranslateOffset(6));
    }
}
