using KafkaSharp.Broker.Producers;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Broker.ZooKeeper.Producers;

/// <summary>
/// Claims producer id blocks in /latest_producer_id_block as Kafka's ZkProducerIdManager does: read the node and its
/// version, write the next block with setData conditioned on that version, and start over when another broker won
/// the race (BADVERSION). A missing node is created with the first block (NODEEXISTS: another broker did, retry).
/// </summary>
public sealed class ZooKeeperProducerIdBlockSource(ZkSession session) : IProducerIdBlockSource
{
    public async Task<ProducerIdBlock> ClaimNextBlockAsync(int brokerId, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ZooKeeperClient zk = session.Client;
            ZNodeData current;
            try
            {
                current = await zk.GetDataAsync(ProducerIdBlockZNode.Path, cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                ProducerIdBlock first = ProducerIdBlock.After(null, brokerId);
                try
                {
                    await zk.CreateAsync(ProducerIdBlockZNode.Path, ProducerIdBlockZNode.Encode(first), cancellationToken: cancellationToken).ConfigureAwait(false);
                    return first;
                }
                catch (NodeExistsException)
                {
                    continue;
                }
            }

            ProducerIdBlock next = ProducerIdBlock.After(ProducerIdBlockZNode.Decode(current.Data), brokerId);
            try
            {
                await zk.SetDataAsync(ProducerIdBlockZNode.Path, ProducerIdBlockZNode.Encode(next), current.Stat.Version, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (BadVersionException)
            {
                // Another broker claimed a block meanwhile: read again.
            }
        }
    }
}
