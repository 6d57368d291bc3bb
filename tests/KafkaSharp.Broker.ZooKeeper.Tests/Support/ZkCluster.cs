using System.Diagnostics;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.Broker.ZooKeeper.Tests.Support;

/// <summary>
/// A real ZooKeeper 3.8 and KafkaSharp servers (<see cref="KafkaSharp.Server.KafkaServer.RunAsync"/> in this process,
/// each on its own loopback port and data dir) that form one cluster through it. Brokers are numbered 1..n.
/// Short sessions (4 s) keep failover tests short.
/// </summary>
public sealed class ZkCluster : IAsyncDisposable
{
    public const int SessionTimeoutMs = 4000;
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(40);

    private readonly Dictionary<int, ServerHost> _brokers = [];
    private readonly string[] _extra;

    private ZkCluster(ZooKeeperServerProcess zookeeper, string[] extra)
    {
        ZooKeeper = zookeeper;
        _extra = extra;
    }

    public ZooKeeperServerProcess ZooKeeper { get; }

    public string ConnectString => ZooKeeper.ConnectString;

    public IReadOnlyDictionary<int, ServerHost> Brokers => _brokers;

    public ServerHost this[int id] => _brokers[id];

    /// <param name="extra">More broker configs (key=value) for every broker.</param>
    public static async Task<ZkCluster> StartAsync(int brokers, params string[] extra)
    {
        ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        var cluster = new ZkCluster(zookeeper, extra);
        try
        {
            for (int id = 1; id <= brokers; id++)
            {
                await cluster.AddBrokerAsync(id);
            }

            await cluster.WaitUntilEveryBrokerSeesAllAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <param name="zookeeperConnect">Where the broker finds ZooKeeper (e.g. through a proxy); the cluster's server by default.</param>
    public string[] BrokerSettings(int id, string? zookeeperConnect = null) =>
    [
        $"zookeeper.connect={zookeeperConnect ?? ConnectString}",
        $"broker.id={id}",
        $"zookeeper.session.timeout.ms={SessionTimeoutMs}",
        "zookeeper.connection.timeout.ms=10000",
        "controlled.shutdown.retry.backoff.ms=200",
        "controlled.shutdown.max.retries=1",
        "auto.leader.rebalance.enable=false",
        .. _extra,
    ];

    public async Task<ServerHost> AddBrokerAsync(int id, string? zookeeperConnect = null)
    {
        ServerHost host = await ServerHost.StartAsync(BrokerSettings(id, zookeeperConnect));
        _brokers[id] = host;
        return host;
    }

    public Task<ZooKeeperClient> ConnectZooKeeperAsync() => ZooKeeperClient.ConnectAsync(ConnectString);

    /// <summary>Each broker's own metadata lists every broker (registration reaches the others through watches).</summary>
    public async Task WaitUntilEveryBrokerSeesAllAsync()
    {
        foreach ((int id, ServerHost broker) in _brokers)
        {
            await WaitUntilAsync(async () => (await MetadataAsync(broker)).Brokers.Count == _brokers.Count, $"broker {id} to see all {_brokers.Count} brokers");
        }
    }

    public string BootstrapOf(params int[] ids) => string.Join(",", ids.Select(id => _brokers[id].BootstrapServers));

    public static async Task<MetadataResponse> MetadataAsync(ServerHost broker, params string[] topics)
    {
        using RawConnection connection = await RawConnection.ConnectAsync(broker.Port);
        var request = new MetadataRequest
        {
            Topics = topics.Length == 0 ? null : [.. topics.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t })],
            AllowAutoTopicCreation = false,
        };
        return await connection.RequestAsync<MetadataResponse>(request, 12);
    }

    public static async Task<TResponse> RequestAsync<TResponse>(ServerHost broker, IApiMessage request, short version)
        where TResponse : IApiMessage
    {
        using RawConnection connection = await RawConnection.ConnectAsync(broker.Port);
        return await connection.RequestAsync<TResponse>(request, version);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> after <see cref="WaitTimeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        Exception? last = null;
        while (elapsed.Elapsed < (timeout ?? WaitTimeout))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or ZooKeeperException)
            {
                last = e;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out waiting for {what}.", last);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ServerHost broker in _brokers.Values)
        {
            try
            {
                await broker.DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped by the test.
            }
        }

        await ZooKeeper.DisposeAsync();
    }
}
