using KafkaSharp.Storage.Index;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class OffsetIndexTests
{
    [Fact]
    public void LookupPositionReturnsLargestEntryAtOrBelowOffset()
    {
        using var temp = new TempDirectory();
        using var index = OffsetIndex.Open(temp.Sub("0.index"), 100, 1024, long.MaxValue);
        index.Append(104, 0);
        index.Append(110, 500);
        index.Append(120, 900);

        Assert.Equal(0, index.LookupPosition(100));
        Assert.Equal(0, index.LookupPosition(109));
        Assert.Equal(500, index.LookupPosition(110));
        Assert.Equal(900, index.LookupPosition(5000));
    }

    [Fact]
    public void OpenKeepsOnlySaneEntriesWhenFileHasZeroTail()
    {
        using var temp = new TempDirectory();
        string path = temp.Sub("0.index");
        using (var index = OffsetIndex.Open(path, 0, 1024, long.MaxValue))
        {
            index.Preallocate();
            index.Append(3, 100);
            index.Append(9, 300);
            index.Flush();
        }

        Assert.Equal(1024, new FileInfo(path).Length);
        using var reopened = OffsetIndex.Open(path, 0, 1024, 1000);
        Assert.Equal(2, reopened.Count);
        Assert.Equal(9, reopened.LastOffset);
    }

    [Fact]
    public void TruncateToDropsEntriesAtOrAboveOffset()
    {
        using var temp = new TempDirectory();
        using var index = OffsetIndex.Open(temp.Sub("0.index"), 0, 1024, long.MaxValue);
        index.Append(3, 100);
        index.Append(9, 300);
        index.TruncateTo(9);
        Assert.Equal(1, index.Count);
        Assert.Equal(8, new FileInfo(index.FilePath).Length);
    }

    [Fact]
    public void IsFullWhenMaxEntriesReached()
    {
        using var temp = new TempDirectory();
        using var index = OffsetIndex.Open(temp.Sub("0.index"), 0, 16, long.MaxValue);
        index.Append(1, 10);
        Assert.False(index.IsFull);
        index.Append(2, 20);
        Assert.True(index.IsFull);
    }
}

public class TimeIndexTests
{
    [Fact]
    public void LookupOffsetReturnsEntryBeforeFirstTimestampAtOrAboveTarget()
    {
        using var temp = new TempDirectory();
        using var index = TimeIndex.Open(temp.Sub("0.timeindex"), 50, 1200);
        index.MaybeAppend(1000, 55);
        index.MaybeAppend(2000, 60);
        index.MaybeAppend(1500, 61);

        Assert.Equal(2, index.Count);
        Assert.Equal(50, index.LookupOffset(1000));
        Assert.Equal(55, index.LookupOffset(1001));
        Assert.Equal(60, index.LookupOffset(9999));
    }
}
