using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.Cluster.TestSupport;

/// <summary>
/// N KafkaSharp brokers, each a child process with its own loopback port and data dir, forming one cluster through
/// the ZooKeeper at <see cref="ZooKeeperConnect"/> (the test starts it). Brokers can be killed, stopped, restarted
/// and added; queries read ZooKeeper (registrations, controller) and the brokers (Metadata) for wait-until checks.
/// Disposing kills every broker and deletes the data dirs; children are also killed when the test host exits or
/// dies (see <see cref="ChildProcesses"/>).
/// </summary>
public sealed class KafkaCluster : IAsyncDisposable
{
    /// <summary>Short ZooKeeper sessions keep failover waits short (the server needs ≥ 2 ZooKeeper ticks).</summary>
    public const int SessionTimeoutMs = 4000;

    private readonly Dictionary<int, BrokerProcess> _brokers = [];
    private readonly IReadOnlyList<string> _extra;
    private readonly string _root;
    private ZooKeeperClient? _zookeeper;
    private InterBrokerChannel? _channel;

    private KafkaCluster(string zookeeperConnect, IReadOnlyList<string> extra)
    {
        ZooKeeperConnect = zookeeperConnect;
        _extra = extra;
        _root = Path.Combine(Path.GetTempPath(), "kafkasharp-cluster", Guid.NewGuid().ToString("N"));
    }

    public string ZooKeeperConnect { get; }

    public IReadOnlyDictionary<int, BrokerProcess> Brokers => _brokers;

    public BrokerProcess this[int id] => _brokers[id];

    /// <summary>Every broker's address, for a client's bootstrap.servers.</summary>
    public string BootstrapServers => string.Join(",", _brokers.Values.Select(b => b.BootstrapServers));

    /// <summary>
    /// Starts brokers 1..<paramref name="brokers"/> against <paramref name="zookeeperConnect"/> and waits until all are
    /// registered and every broker's metadata (fed by the controller) lists them all. <paramref name="extra"/> adds
    /// key=value settings for every broker.
    /// </summary>
    public static async Task<KafkaCluster> StartAsync(string zookeeperConnect, int brokers, params string[] extra)
    {
        var cluster = new KafkaCluster(zookeeperConnect, extra);
        try
        {
            await Task.WhenAll(Enumerable.Range(1, brokers).Select(cluster.AddBrokerAsync)).ConfigureAwait(false);
            await cluster.WaitUntilRegisteredAsync([.. Enumerable.Range(1, brokers)]).ConfigureAwait(false);
            await cluster.WaitUntilEveryBrokerSeesAllAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The settings broker <paramref name="id"/> runs with.</summary>
    public IReadOnlyList<string> SettingsFor(int id, int port) =>
    [
        $"broker.id={id}",
        $"listeners=PLAINTEXT://127.0.0.1:{port}",
        $"log.dirs={Path.Combine(_root, $"broker-{id}", "data")}",
        $"zookeeper.connect={ZooKeeperConnect}",
        $"zookeeper.session.timeout.ms={SessionTimeoutMs}",
        "zookeeper.connection.timeout.ms=10000",
        "controlled.shutdown.retry.backoff.ms=200",
        "controlled.shutdown.max.retries=1",
        "log.cleaner.enable=false",
        .. _extra,
    ];

    /// <summary>Starts a new broker (a cluster grows this way) and waits until it listens.</summary>
    public async Task<BrokerProcess> AddBrokerAsync(int id)
    {
        int port = FreePort();
        var broker = new BrokerProcess(id, port, Path.Combine(_root, $"broker-{id}"), SettingsFor(id, port));
        lock (_brokers)
        {
            _brokers.Add(id, broker);
        }

        await broker.StartAsync().ConfigureAwait(false);
        return broker;
    }

    /// <summary>SIGKILLs broker <paramref name="id"/>.</summary>
    public Task KillAsync(int id) => _brokers[id].KillAsync();

    /// <summary>Stops broker <paramref name="id"/> cleanly (SIGTERM: controlled shutdown).</summary>
    public Task StopAsync(int id) => _brokers[id].StopAsync();

    /// <summary>Starts broker <paramref name="id"/> again on its port and data dir and waits until it is registered.</summary>
    public async Task RestartAsync(int id)
    {
        await _brokers[id].StartAsync().ConfigureAwait(false);
        await WaitUntilRegisteredAsync(id).ConfigureAwait(false);
    }

    private async Task<ZooKeeperClient> ZooKeeperAsync() =>
        _zookeeper ??= await ZooKeeperClient.ConnectAsync(ZooKeeperConnect).ConfigureAwait(false);

    /// <summary>Whether the znode at <paramref name="path"/> exists.</summary>
    public async Task<bool> ZNodeExistsAsync(string path)
    {
        ZooKeeperClient zookeeper = await ZooKeeperAsync().ConfigureAwait(false);
        return await zookeeper.ExistsAsync(path).ConfigureAwait(false) is not null;
    }

    /// <summary>The broker ids registered in /brokers/ids (live brokers).</summary>
    public async Task<IReadOnlyList<int>> RegisteredBrokersAsync()
    {
        ZooKeeperClient zookeeper = await ZooKeeperAsync().ConfigureAwait(false);
        if (await zookeeper.ExistsAsync("/brokers/ids").ConfigureAwait(false) is null)
        {
            return [];
        }

        IReadOnlyList<string> children = await zookeeper.GetChildrenAsync("/brokers/ids").ConfigureAwait(false);
        return [.. children.Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Order()];
    }

    /// <summary>The controller's broker id from /controller, or -1 when there is none.</summary>
    public async Task<int> ControllerIdAsync()
    {
        ZooKeeperClient zookeeper = await ZooKeeperAsync().ConfigureAwait(false);
        try
        {
            ZNodeData data = await zookeeper.GetDataAsync("/controller").ConfigureAwait(false);
            using JsonDocument json = JsonDocument.Parse(data.Data);
            return json.RootElement.GetProperty("brokerid").GetInt32();
        }
        catch (NoNodeException)
        {
            return -1;
        }
    }

    /// <summary>The controller epoch from /controller_epoch, or 0 before the first election.</summary>
    public async Task<int> ControllerEpochAsync()
    {
        ZooKeeperClient zookeeper = await ZooKeeperAsync().ConfigureAwait(false);
        try
        {
            ZNodeData data = await zookeeper.GetDataAsync("/controller_epoch").ConfigureAwait(false);
            return int.Parse(Encoding.UTF8.GetString(data.Data), CultureInfo.InvariantCulture);
        }
        catch (NoNodeException)
        {
            return 0;
        }
    }

    /// <summary>Waits until every id in <paramref name="ids"/> is registered.</summary>
    public Task WaitUntilRegisteredAsync(params int[] ids) =>
        Waits.UntilAsync(async () =>
        {
            IReadOnlyList<int> live = await RegisteredBrokersAsync().ConfigureAwait(false);
            return ids.All(live.Contains);
        }, $"brokers {string.Join(",", ids)} to register in ZooKeeper");

    /// <summary>Waits until the Metadata of every running broker lists every running broker (the controller's UpdateMetadata reached them).</summary>
    public async Task WaitUntilEveryBrokerSeesAllAsync()
    {
        int[] running = [.. _brokers.Values.Where(b => b.IsRunning).Select(b => b.Id)];
        foreach (int id in running)
        {
            await Waits.UntilAsync(async () => (await MetadataAsync(id).ConfigureAwait(false)).Brokers.Count == running.Length,
                $"broker {id} to see all {running.Length} running brokers").ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="id"/>'s registration is gone (its session expired or it stopped).</summary>
    public Task WaitUntilUnregisteredAsync(int id) =>
        Waits.UntilAsync(async () => !(await RegisteredBrokersAsync().ConfigureAwait(false)).Contains(id), $"broker {id} to leave /brokers/ids");

    /// <summary>Waits for a live controller other than <paramref name="notThis"/> and returns its id.</summary>
    public Task<int> WaitForControllerAsync(int notThis = -1) =>
        Waits.ForAsync(ControllerIdAsync, id => id >= 0 && id != notThis, notThis < 0 ? "a controller" : $"a controller other than {notThis}");

    /// <summary>A Metadata request (v12) to broker <paramref name="id"/> over the inter-broker client; null topics asks for all.</summary>
    public Task<MetadataResponse> MetadataAsync(int id, params string[] topics) =>
        RequestAsync<MetadataResponse>(id, new MetadataRequest
        {
            Topics = topics.Length == 0 ? null : [.. topics.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t })],
            AllowAutoTopicCreation = false,
        });

    /// <summary>
    /// Any request to broker <paramref name="id"/> over the inter-broker client, at the highest version both sides
    /// support up to <paramref name="maxVersion"/> (the request must be filled for that version's layout).
    /// </summary>
    public async Task<TResponse> RequestAsync<TResponse>(int id, IApiMessage request, short maxVersion = short.MaxValue)
        where TResponse : class, IApiMessage
    {
        _channel ??= new InterBrokerChannel(
            new InterBrokerOptions { ListenerName = "PLAINTEXT", ClientId = "cluster-test", RequestTimeout = TimeSpan.FromSeconds(10) },
            NullLoggerFactory.Instance);
        BrokerProcess broker = _brokers[id];
        var node = new BrokerNode(id, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", broker.Port, SecurityProtocol.Plaintext)]);
        return await _channel.SendAsync<TResponse>(node, request, maxVersion).ConfigureAwait(false);
    }

    /// <summary>Broker <paramref name="id"/>'s directory for partition <paramref name="partition"/> of <paramref name="topic"/> (log.dirs has one entry).</summary>
    public string PartitionDirectory(int id, string topic, int partition) =>
        Path.Combine(_root, $"broker-{id}", "data", $"{topic}-{partition}");

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_brokers.Values.Select(b => b.KillAsync())).ConfigureAwait(false);
        if (_zookeeper is not null)
        {
            await _zookeeper.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the OS eventually.
        }
    }
}
