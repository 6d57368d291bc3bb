using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.InterBroker;

public sealed class ApiVersionRangesTests
{
    private static ApiVersionRanges Peer(params (ApiKey Key, short Min, short Max)[] apis) =>
        new(apis.Select(a => new ApiVersionsResponse.ApiVersion { ApiKey = (short)a.Key, MinVersion = a.Min, MaxVersion = a.Max }));

    [Fact]
    public void NegotiatePicksTheHighestVersionInTheOverlap()
    {
        ApiVersionRanges peer = Peer((ApiKey.LeaderAndIsr, 0, 5), (ApiKey.Metadata, 3, 20));

        Assert.Equal((short)5, peer.Negotiate(new LeaderAndIsrRequest()));
        Assert.Equal(MetadataRequest.HighestVersion, peer.Negotiate(new MetadataRequest()));
        Assert.Equal((short)4, peer.Negotiate(new MetadataRequest(), maxVersion: 4));
    }

    [Fact]
    public void NegotiateReturnsNullWhenThePeerLacksTheApiOrTheRangesDoNotMeet()
    {
        ApiVersionRanges peer = Peer((ApiKey.Metadata, 3, 12));

        Assert.Null(peer.Negotiate(new StopReplicaRequest()));
        Assert.Null(peer.Negotiate(new MetadataRequest(), maxVersion: 2));
    }
}
