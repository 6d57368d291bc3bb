using KafkaSharp.ZooKeeper.Protocol.Requests;

namespace KafkaSharp.ZooKeeper.Tests.Protocol;

public sealed class SetWatchesBatchTests
{
    [Fact]
    public void BatchReturnsNothingWhenNoWatches()
    {
        Assert.Empty(SetWatchesRequest.Batch(7, [], [], [], maxBytes: 100));
    }

    [Fact]
    public void BatchKeepsEveryPathInItsTableWhenAllFitInOneRequest()
    {
        SetWatchesRequest request = Assert.Single(SetWatchesRequest.Batch(7, ["/d"], ["/e"], ["/c"], maxBytes: 100));

        Assert.Equal(7, request.RelativeZxid);
        Assert.Equal(["/d"], request.DataWatches);
        Assert.Equal(["/e"], request.ExistWatches);
        Assert.Equal(["/c"], request.ChildWatches);
    }

    [Fact]
    public void BatchSplitsWithoutLosingOrDuplicatingPathsWhenOverTheLimit()
    {
        // Each path costs 4 + 6 bytes; 25 bytes hold two.
        string[] data = ["/d0001", "/d0002", "/d0003"];
        string[] exist = ["/e0001"];
        string[] child = ["/c0001", "/c0002"];

        List<SetWatchesRequest> requests = SetWatchesRequest.Batch(9, data, exist, child, maxBytes: 25);

        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(9, r.RelativeZxid));
        Assert.All(requests, r => Assert.Equal(2, r.DataWatches.Count + r.ExistWatches.Count + r.ChildWatches.Count));
        Assert.Equal(data, requests.SelectMany(r => r.DataWatches));
        Assert.Equal(exist, requests.SelectMany(r => r.ExistWatches));
        Assert.Equal(child, requests.SelectMany(r => r.ChildWatches));
    }

    [Fact]
    public void BatchSendsOversizedPathAloneWhenLongerThanTheLimit()
    {
        List<SetWatchesRequest> requests = SetWatchesRequest.Batch(1, ["/" + new string('x', 50), "/y"], [], [], maxBytes: 10);

        Assert.Equal(2, requests.Count);
        Assert.Equal(["/y"], requests[1].DataWatches);
    }
}
