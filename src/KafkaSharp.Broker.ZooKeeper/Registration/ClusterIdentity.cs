using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.ZooKeeper;

namespace KafkaSharp.Broker.ZooKeeper.Registration;

/// <summary>
/// What a ZooKeeper-mode broker settles before it starts (KafkaServer.startup): the top-level paths, the cluster id
/// in /cluster/id (created by the first broker), its own id (broker.id, or the one meta.properties remembers, or a
/// new one from /brokers/seqid), and that its log dirs belong to this broker and this cluster.
/// </summary>
public static class ClusterIdentity
{
    public static async Task CreateTopLevelPathsAsync(ZooKeeperClient zk, CancellationToken cancellationToken)
    {
        foreach (string path in ZkPaths.Persistent)
        {
            await zk.EnsurePathExistsAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (await zk.ExistsAsync(ZkPaths.Feature, cancellationToken).ConfigureAwait(false) is null)
        {
            await CreateIgnoringExistsAsync(zk, ZkPaths.Feature, FeatureZNode.Encode(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads /cluster/id, creating it with a new id when this is the cluster's first broker.</summary>
    public static async Task<string> GetOrCreateClusterIdAsync(ZooKeeperClient zk, CancellationToken cancellationToken)
    {
        try
        {
            return ClusterIdZNode.Decode((await zk.GetDataAsync(ZkPaths.ClusterId, cancellationToken).ConfigureAwait(false)).Data);
        }
        catch (NoNodeException)
        {
            await zk.EnsurePathExistsAsync("/cluster", cancellationToken).ConfigureAwait(false);
            await CreateIgnoringExistsAsync(zk, ZkPaths.ClusterId, ClusterIdZNode.Encode(KafkaUuid.ToString(KafkaUuid.NewId())), cancellationToken).ConfigureAwait(false);
            return ClusterIdZNode.Decode((await zk.GetDataAsync(ZkPaths.ClusterId, cancellationToken).ConfigureAwait(false)).Data);
        }
    }

    /// <summary>
    /// broker.id when set; else the id a log dir's meta.properties holds (a generated id survives restarts); else a
    /// new one: /brokers/seqid's version after a blind setData, plus reserved.broker.max.id, as Kafka generates them.
    /// </summary>
    public static async Task<int> ResolveBrokerIdAsync(ZooKeeperClient zk, BrokerConfig config, CancellationToken cancellationToken)
    {
        if (config.BrokerId >= 0)
        {
            return config.BrokerId;
        }

        int? stored = null;
        foreach (string dir in config.LogDirs)
        {
            if (Directory.Exists(dir) && MetaProperties.Read(dir) is { } meta)
            {
                if (stored is { } other && other != meta.BrokerId)
                {
                    throw new InvalidOperationException($"Log dirs hold different broker ids in meta.properties: {other} and {meta.BrokerId} ({dir}).");
                }

                stored = meta.BrokerId;
            }
        }

        if (stored is { } id)
        {
            return id;
        }

        if (!config.GetBoolean("broker.id.generation.enable"))
        {
            throw new InvalidOperationException("broker.id is not set and broker.id.generation.enable is false.");
        }

        ZNodeStat stat = await zk.SetDataAsync(ZkPaths.BrokerSequenceId, ReadOnlyMemory<byte>.Empty, -1, cancellationToken).ConfigureAwait(false);
        return stat.Version + config.GetInt("reserved.broker.max.id");
    }

    /// <summary>
    /// Fails like Kafka's InconsistentClusterIdException when a log dir's meta.properties names another cluster, or
    /// another broker; writes meta.properties where it is missing.
    /// </summary>
    public static void CheckLogDirs(IReadOnlyList<string> logDirs, int brokerId, string clusterId)
    {
        foreach (string dir in logDirs)
        {
            Directory.CreateDirectory(dir);
            MetaProperties? meta = MetaProperties.Read(dir);
            if (meta is null)
            {
                new MetaProperties(brokerId, clusterId).Write(dir);
                continue;
            }

            if (meta.BrokerId != brokerId)
            {
                throw new InvalidOperationException($"Log dir {dir} belongs to broker {meta.BrokerId}, but this is broker {brokerId}.");
            }

            if (meta.ClusterId is not null && meta.ClusterId != clusterId)
            {
                throw new InvalidOperationException(
                    $"The Cluster ID {clusterId} doesn't match stored clusterId {meta.ClusterId} in meta.properties of {dir}. " +
                    "The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.");
            }

            if (meta.ClusterId is null)
            {
                new MetaProperties(brokerId, clusterId).Write(dir);
            }
        }
    }

    private static async Task CreateIgnoringExistsAsync(ZooKeeperClient zk, string path, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await zk.CreateAsync(path, data, CreateMode.Persistent, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NodeExistsException)
        {
            // Another broker created it first; theirs stands.
        }
    }
}
