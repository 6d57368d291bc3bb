using System.Text;
using KafkaSharp.Broker.Producers;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Broker.ZooKeeper.Producers;
using KafkaSharp.Broker.ZooKeeper.Tests.Support;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;
using KafkaSharp.ZooKeeper.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.Broker.ZooKeeper.Tests;

/// <summary>Producer id blocks claimed in /latest_producer_id_block as Kafka's ZkProducerIdManager claims them.</summary>
public sealed class ProducerIdBlockTests
{
    [Fact]
    public void TheZNodeIsKafkasJsonWithTheBoundsAsStrings()
    {
        string json = Encoding.UTF8.GetString(ProducerIdBlockZNode.Encode(new ProducerIdBlock(2, 1000, 1000)));
        Assert.Equal("""{"version":1,"broker":2,"block_start":"1000","block_end":"1999"}""", json);
        Assert.Equal(new ProducerIdBlock(1, 0, 1000), ProducerIdBlockZNode.Decode(Encoding.UTF8.GetBytes("""{"version":1,"broker":1,"block_start":"0","block_end":"999"}""")));
        Assert.Null(ProducerIdBlockZNode.Decode([]));
        Assert.Throws<MalformedZNodeException>(() => ProducerIdBlockZNode.Decode(Encoding.UTF8.GetBytes("""{"version":1,"broker":1}""")));
    }

    [Fact]
    public async Task BrokersRacingForBlocksNeverGetTheSameOne()
    {
        await using ZooKeeperServerProcess server = await ZooKeeperServerProcess.StartStandaloneAsync();
        var options = new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromSeconds(4) };
        await using ZkSession first = await ZkSession.ConnectAsync(options, NullLogger.Instance, CancellationToken.None);
        await using ZkSession second = await ZkSession.ConnectAsync(options, NullLogger.Instance, CancellationToken.None);
        var sources = new[] { new ZooKeeperProducerIdBlockSource(first), new ZooKeeperProducerIdBlockSource(second) };

        // No node yet: the first claim creates it; after that every claim is a versioned setData.
        Task<ProducerIdBlock>[] claims = [.. Enumerable.Range(0, 20).Select(i => sources[i % 2].ClaimNextBlockAsync(i % 2 + 1, CancellationToken.None))];
        ProducerIdBlock[] blocks = await Task.WhenAll(claims).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 1000L), blocks.Select(b => b.FirstId).Order());
        Assert.All(blocks, b => Assert.Equal(1000, b.Size));
        ZNodeData stored = await first.Client.GetDataAsync(ProducerIdBlockZNode.Path);
        Assert.Equal(19_999, ProducerIdBlockZNode.Decode(stored.Data)!.Value.LastId);
    }

    [Fact]
    public async Task AZooKeeperModeBrokerAnswersInitProducerIdFromABlockItClaimedInZooKeeper()
    {
        await using ZkCluster cluster = await ZkCluster.StartAsync(1);
        var response = await ZkCluster.RequestAsync<InitProducerIdResponse>(cluster[1], new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);

        Assert.Equal((short)0, response.ErrorCode);
        await using ZooKeeperClient zk = await cluster.ConnectZooKeeperAsync();
        ProducerIdBlock block = ProducerIdBlockZNode.Decode((await zk.GetDataAsync(ProducerIdBlockZNode.Path)).Data)!.Value;
        Assert.Equal(1, block.BrokerId);
        Assert.InRange(response.ProducerId, block.FirstId, block.LastId);
        Assert.Equal((short)0, response.ProducerEpoch);
    }
}
