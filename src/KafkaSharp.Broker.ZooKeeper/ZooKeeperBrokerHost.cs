using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Broker.ZooKeeper.Controller;
using KafkaSharp.Broker.ZooKeeper.Handlers;
using KafkaSharp.Broker.ZooKeeper.Producers;
using KafkaSharp.Broker.ZooKeeper.Registration;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper;

/// <summary>
/// A broker's ZooKeeper mode, in the order Kafka's KafkaServer.startup goes: <see cref="ConnectAsync"/> (session,
/// top-level paths, cluster id, broker id, log dirs checked), then the broker is built with <see cref="Metadata"/>
/// and <see cref="AddHandlers"/>, started, and <see cref="StartAsync"/> registers it and starts its controller.
/// Stopping: <see cref="ControlledShutdownAsync"/> while the broker still serves, then stop the broker, then dispose.
/// </summary>
public sealed partial class ZooKeeperBrokerHost : IAsyncDisposable
{
    private readonly ZkSession _session;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private KafkaController? _controller;
    private InterBrokerChannel? _channel;
    private BrokerRegistrar? _registrar;

    private ZooKeeperBrokerHost(ZkSession session, ZooKeeperClusterMetadata metadata, int brokerId, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _session = session;
        Metadata = metadata;
        BrokerId = brokerId;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ZooKeeperBrokerHost>();
        _time = time;
    }

    /// <summary>The broker id: broker.id, or the generated one (meta.properties or /brokers/seqid).</summary>
    public int BrokerId { get; }

    public ZooKeeperClusterMetadata Metadata { get; }

    public KafkaController Controller => _controller ?? throw new InvalidOperationException("Handlers were not added yet.");

    /// <summary>The broker epoch of the current registration (czxid of /brokers/ids/&lt;id&gt;).</summary>
    public long BrokerEpoch => _registrar?.BrokerEpoch ?? -1;

    /// <summary>
    /// Connects (zookeeper.session.timeout.ms, zookeeper.connection.timeout.ms; <see cref="ConnectionLossException"/>
    /// naming the hosts when ZooKeeper cannot be reached in time) and settles the cluster and broker identity.
    /// </summary>
    public static async Task<ZooKeeperBrokerHost> ConnectAsync(BrokerConfig config, ILoggerFactory loggerFactory, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        string connect = config.ZooKeeperConnect ?? throw new ArgumentException("zookeeper.connect is not set.", nameof(config));
        var options = new ZooKeeperClientOptions
        {
            ConnectString = connect,
            SessionTimeout = TimeSpan.FromMilliseconds(config.ZooKeeperSessionTimeoutMs),
            ConnectionTimeout = TimeSpan.FromMilliseconds(config.ZooKeeperConnectionTimeoutMs),
            Logger = loggerFactory.CreateLogger<ZooKeeperClient>(),
        };
        ZkSession session = await ZkSession.ConnectAsync(options, loggerFactory.CreateLogger<ZkSession>(), cancellationToken).ConfigureAwait(false);
        try
        {
            ZooKeeperClient zk = session.Client;
            await ClusterIdentity.CreateTopLevelPathsAsync(zk, cancellationToken).ConfigureAwait(false);
            string clusterId = await ClusterIdentity.GetOrCreateClusterIdAsync(zk, cancellationToken).ConfigureAwait(false);
            int brokerId = await ClusterIdentity.ResolveBrokerIdAsync(zk, config, cancellationToken).ConfigureAwait(false);
            ClusterIdentity.CheckLogDirs(config.LogDirs, brokerId, clusterId);
            // This broker as KafkaBroker.Self advertises it: the only live broker the metadata shows until the
            // controller's first UpdateMetadata.
            var self = new BrokerNode(brokerId, config.BrokerRack, [.. config.AdvertisedListeners.Select(l =>
                new BrokerEndpoint(l.ListenerName, l.Host ?? System.Net.Dns.GetHostName(), l.Port, l.SecurityProtocol))]);
            ZooKeeperClusterMetadata metadata = await ZooKeeperClusterMetadata.OpenAsync(
                session, clusterId, self, loggerFactory.CreateLogger<ZooKeeperClusterMetadata>(), cancellationToken).ConfigureAwait(false);
            return new ZooKeeperBrokerHost(session, metadata, brokerId, loggerFactory, time ?? TimeProvider.System);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds the controller's APIs and the producer id block source to the broker (before <see cref="KafkaBroker.Start"/>).</summary>
    public void AddHandlers(KafkaBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _channel = new InterBrokerChannel(InterBrokerOptions.ForController(broker.Config), _loggerFactory, _time);
        _controller = new KafkaController(_session, BrokerId, () => broker.Config, _channel, _time, _loggerFactory.CreateLogger<KafkaController>());
        broker.ProducerIdBlocks = new ZooKeeperProducerIdBlockSource(_session);
        broker.Handlers.Register(new ControlledShutdownHandler(_controller));
        broker.Handlers.Register(new ElectLeadersHandler(_controller));
        broker.Handlers.Register(new AlterPartitionReassignmentsHandler(_controller));
        broker.Handlers.Register(new ListPartitionReassignmentsHandler(_controller));
    }

    /// <summary>
    /// Registers the started broker in /brokers/ids (a live broker with the same id stops this one:
    /// <see cref="InvalidOperationException"/>) and stands for controller.
    /// </summary>
    public async Task StartAsync(KafkaBroker broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _registrar = new BrokerRegistrar(_session, broker.Self, _time, _loggerFactory.CreateLogger<BrokerRegistrar>());

        // Requests the controller meant for an earlier registration of this id are refused from now on (KIP-380).
        _registrar.Registered += Metadata.ControllerFed.SetBrokerEpoch;
        await _registrar.RegisterAsync(cancellationToken).ConfigureAwait(false);
        Controller.Start();

        // Serve clients once the controller's UpdateMetadata reached this broker (its metadata names a controller and
        // lists this broker), so a client's first Metadata is complete; other brokers' connections are served at
        // once (see KafkaSharp.Server's connection gate), which is how that UpdateMetadata gets here.
        int self = broker.Config.BrokerId;
        try
        {
            await Metadata.WaitForAsync(i => i.ControllerId != -1 && i.GetBroker(self) is not null, "this broker's registration and a controller", cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaApiException e)
        {
            NoControllerYet(_logger, e.Message);
        }
    }

    /// <summary>
    /// Kafka's controlled shutdown (controlled.shutdown.enable): ask the controller to move this broker's
    /// leaderships, retrying controlled.shutdown.max.retries times, controlled.shutdown.retry.backoff.ms apart, while
    /// it reports partitions it could not move. Returns whether it succeeded; the broker stops either way, and admin
    /// requests still waiting for metadata are answered then (see <see cref="ZooKeeperClusterMetadata.AbandonWaits"/>).
    /// </summary>
    public async Task<bool> ControlledShutdownAsync(BrokerConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return await TryControlledShutdownAsync(config, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Metadata.AbandonWaits();
        }
    }

    private async Task<bool> TryControlledShutdownAsync(BrokerConfig config, CancellationToken cancellationToken)
    {
        if (!config.ControlledShutdownEnable || _registrar is null)
        {
            return false;
        }

        int retries = config.GetInt("controlled.shutdown.max.retries");
        var backoff = TimeSpan.FromMilliseconds(config.GetLong("controlled.shutdown.retry.backoff.ms"));
        for (int attempt = 0; attempt <= retries; attempt++)
        {
            try
            {
                (ErrorCode error, int remaining) = await SendControlledShutdownAsync(cancellationToken).ConfigureAwait(false);
                if (error == ErrorCode.None && remaining == 0)
                {
                    ControlledShutdownDone(_logger, BrokerId);
                    return true;
                }

                ControlledShutdownIncomplete(_logger, error.ToString(), remaining);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ZooKeeperException or InvalidOperationException or UnsupportedVersionException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                ControlledShutdownIncomplete(_logger, e.Message, -1);
            }

            if (attempt < retries)
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        return false;
    }

    /// <summary>
    /// ControlledShutdown (v3 at most, as Kafka's broker sends it) to the controller the metadata names, through the
    /// inter-broker channel. When this broker is the controller, straight to its own controller: Kestrel stops
    /// accepting connections while the broker stops, so it cannot dial itself.
    /// </summary>
    private async Task<(ErrorCode Error, int Remaining)> SendControlledShutdownAsync(CancellationToken cancellationToken)
    {
        if (Controller.IsActive)
        {
            (ErrorCode error, IReadOnlyList<(string, int)> remaining) = await Controller.ControlledShutdownAsync(BrokerId, BrokerEpoch).ConfigureAwait(false);
            return (error, remaining.Count);
        }

        ClusterImage image = Metadata.Current;
        BrokerNode controller = image.GetBroker(image.ControllerId) ?? throw new InvalidOperationException("No controller is known yet.");
        var request = new ControlledShutdownRequest { BrokerId = BrokerId, BrokerEpoch = BrokerEpoch };
        ControlledShutdownResponse response = await _channel!.SendAsync<ControlledShutdownResponse>(controller, request, 3, cancellationToken).ConfigureAwait(false);
        return ((ErrorCode)response.ErrorCode, response.RemainingPartitions.Count);
    }

    /// <summary>Stops the controller and closes the session: the registration and /controller (if held) go at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync().ConfigureAwait(false);
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }

        await Metadata.DisposeAsync().ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "Serving without a known controller: {Reason}")]
    private static partial void NoControllerYet(ILogger logger, string reason);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Controlled shutdown of broker {BrokerId} succeeded")]
    private static partial void ControlledShutdownDone(ILogger logger, int brokerId);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Controlled shutdown not complete yet ({Reason}, {Remaining} partitions remaining)")]
    private static partial void ControlledShutdownIncomplete(ILogger logger, string reason, int remaining);
}
