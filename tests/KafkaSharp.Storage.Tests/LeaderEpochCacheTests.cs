using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

/// <summary>OffsetsForLeaderEpoch answers, checked against the cases Kafka's leader-epoch cache distinguishes.</summary>
public class LeaderEpochCacheTests
{
    private const long LogEnd = 30;

    private static LeaderEpochCache CacheWith(TempDirectory temp, params (int Epoch, long Start)[] entries)
    {
        var cache = new LeaderEpochCache(temp.Path);
        foreach ((int epoch, long start) in entries)
        {
            cache.Assign(epoch, start);
        }

        return cache;
    }

    [Theory]
    [InlineData(4, 4, LogEnd)]   // the latest epoch ends at the log end
    [InlineData(2, 2, 20)]       // a known epoch ends where the next one starts
    [InlineData(3, 2, 20)]       // an unknown epoch between known ones: the largest epoch below it, next start
    [InlineData(0, 0, 10)]       // below the first known epoch: itself and the first epoch's start
    [InlineData(5, -1, -1)]      // above every known epoch: undefined
    [InlineData(-1, -1, -1)]     // no epoch asked
    public void EndOffsetForAnswersAsKafka(int requested, int expectedEpoch, long expectedEnd)
    {
        using var temp = new TempDirectory();
        LeaderEpochCache cache = CacheWith(temp, (1, 10), (2, 15), (4, 20));

        Assert.Equal((expectedEpoch, expectedEnd), cache.EndOffsetFor(requested, LogEnd));
    }

    [Fact]
    public void EndOffsetForIsUndefinedWhenNoEpochIsKnown()
    {
        using var temp = new TempDirectory();
        Assert.Equal((-1, -1L), CacheWith(temp).EndOffsetFor(0, LogEnd));
    }

    [Theory]
    [InlineData(5, -1)]
    [InlineData(10, 1)]
    [InlineData(17, 2)]
    [InlineData(29, 4)]
    public void EpochForOffsetIsTheEpochThatWroteIt(long offset, int expected)
    {
        using var temp = new TempDirectory();
        Assert.Equal(expected, CacheWith(temp, (1, 10), (2, 15), (4, 20)).EpochForOffset(offset));
    }

    [Fact]
    public void EntriesSurviveReopening()
    {
        using var temp = new TempDirectory();
        CacheWith(temp, (1, 10), (4, 20));

        Assert.Equal([new EpochEntry(1, 10), new EpochEntry(4, 20)], new LeaderEpochCache(temp.Path).Entries);
    }
}
