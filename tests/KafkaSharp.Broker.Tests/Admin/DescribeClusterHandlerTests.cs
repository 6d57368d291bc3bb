using KafkaSharp.Broker.Handlers;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>DescribeCluster over the wire.</summary>
public sealed class DescribeClusterHandlerTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    public async Task DescribeCluster_ReportsThisBroker_AtAnyVersion(short version, bool withOperations)
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["broker.id"] = "3", ["broker.rack"] = "rack-a" });
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DescribeClusterResponse>(
            new DescribeClusterRequest { IncludeClusterAuthorizedOperations = withOperations }, version);

        Assert.Equal(((short)ErrorCode.None, broker.Broker.Metadata.Current.ClusterId, 3), (response.ErrorCode, response.ClusterId, response.ControllerId));
        DescribeClusterResponse.DescribeClusterBroker self = Assert.Single(response.Brokers);
        Assert.Equal((3, "127.0.0.1", 9092, "rack-a"), (self.BrokerId, self.Host, self.Port, self.Rack));
        Assert.Equal(withOperations ? AclOperations.AllClusterOperations : int.MinValue, response.ClusterAuthorizedOperations);
        Assert.Equal(1, response.EndpointType);
    }

    [Fact]
    public async Task DescribeCluster_AnswersUnsupportedEndpointType_WhenAControllerIsWanted()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DescribeClusterResponse>(new DescribeClusterRequest { EndpointType = 2 }, 1);

        Assert.Equal((short)ErrorCode.UnsupportedEndpointType, response.ErrorCode);
        Assert.Empty(response.Brokers);
    }
}
