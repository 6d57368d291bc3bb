using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.DataPlane;
using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Handlers;
using KafkaSharp.Broker.Logging;
using KafkaSharp.Broker.Network;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Broker.Producers;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Producers;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker;

/// <summary>
/// One broker: cluster metadata, the log manager, partitions, topic management and the handler registry, plus the
/// connections it serves. A transport hands each accepted connection's pipe to <see cref="ServeAsync"/>.
/// Lifecycle: construct, <see cref="Start"/> (registers <see cref="BuiltInHandlers"/>; a handler registered on
/// <see cref="Handlers"/> before that replaces the built-in one), serve, then
/// <see cref="StopAsync"/> (stop reading, answer what is in flight, flush and checkpoint logs, mark a clean shutdown).
/// </summary>
public sealed partial class KafkaBroker : IAsyncDisposable
{
    private readonly BrokerConfig _staticConfig;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<BrokerConfig, BrokerNode, IClusterMetadata>? _metadataFactory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<KafkaConnection, Task> _connections = new();
    private IClusterMetadata? _metadata;
    private LogManager? _logs;
    private PartitionManager? _partitions;
    private TopicManager? _topics;
    private ReplicaManager? _replicas;
    private ConfigAdmin? _configAdmin;
    private GroupCoordinator? _groups;
    private ProducerIdManager? _producerIds;
    private readonly ProducerStateOptions _producerState = new();
    private ConnectionOptions _connectionOptions = new();
    private int _state; // 0 new, 1 started, 2 stopped

    /// <param name="metadataFactory">Builds the metadata store (default: <see cref="LocalClusterMetadata"/> in the data dir).</param>
    public KafkaBroker(
        BrokerConfig config,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        Func<BrokerConfig, BrokerNode, IClusterMetadata>? metadataFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Config = config;
        _staticConfig = config;
        LogLevels = new BrokerLogLevels(loggerFactory);
        _loggerFactory = LogLevels;
        _logger = _loggerFactory.CreateLogger<KafkaBroker>();
        _time = time ?? TimeProvider.System;
        _metadataFactory = metadataFactory;
    }

    /// <summary>The effective config: the static one (file and overrides) with the stored dynamic configs applied.</summary>
    public BrokerConfig Config { get; private set; }

    public RequestHandlerRegistry Handlers { get; } = new();

    /// <summary>The broker's loggers, through which their levels can change at runtime (the BROKER_LOGGER resource).</summary>
    public ILoggerFactory LoggerFactory => _loggerFactory;

    public BrokerLogLevels LogLevels { get; }

    public TimeProvider Time => _time;

    public IClusterMetadata Metadata => _metadata ?? throw NotStarted();

    public LogManager Logs => _logs ?? throw NotStarted();

    /// <summary>
    /// The controller-fed metadata when the metadata store is one (ZooKeeper mode, see
    /// <see cref="IControllerFedClusterMetadata"/>); null for the embedded single broker.
    /// </summary>
    public ControllerFedMetadataCache? ControllerFed => (Metadata as IControllerFedClusterMetadata)?.ControllerFed;

    /// <summary>Where handlers find a partition's log (with the error code Kafka would answer when they cannot).</summary>
    public PartitionManager Partitions => _partitions ?? throw NotStarted();

    public TopicManager Topics => _topics ?? throw NotStarted();

    /// <summary>Leader look-ups with epoch checks, the high watermark, and the produce/fetch purgatories.</summary>
    public ReplicaManager Replicas => _replicas ?? throw NotStarted();

    /// <summary>Describes and alters topic and broker configs (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs).</summary>
    public ConfigAdmin ConfigAdmin => _configAdmin ?? throw NotStarted();

    /// <summary>
    /// Where producer id blocks are claimed; set before <see cref="Start"/> (ZooKeeper mode sets it). When null, the
    /// metadata store is used if it can claim blocks (the embedded one persists them in its file).
    /// </summary>
    public IProducerIdBlockSource? ProducerIdBlocks { get; set; }

    /// <summary>Producer ids for InitProducerId; null when no block source exists (InitProducerId is then not offered).</summary>
    public ProducerIdManager? ProducerIds => _producerIds;

    /// <summary>The classic group coordinator: consumer groups and committed offsets in <c>__consumer_offsets</c>.</summary>
    public GroupCoordinator Groups => _groups ?? throw NotStarted();

    /// <summary>This broker as it advertises itself: id, rack and one endpoint per advertised listener.</summary>
    public BrokerNode Self => new(Config.BrokerId, Config.BrokerRack, [.. Config.AdvertisedListeners.Select(l =>
        new BrokerEndpoint(l.ListenerName, l.Host ?? Dns.GetHostName(), l.Port, l.SecurityProtocol))]);

    /// <summary>
    /// Opens metadata and logs (recovering them if the last shutdown was not clean), brings partitions in line with
    /// metadata and registers the built-in handlers (those not registered already).
    /// </summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The broker was already started.");
        }

        BrokerNode self = Self;
        _metadata = _metadataFactory?.Invoke(Config, self) ?? LocalClusterMetadata.Open(Config.LogDirs, self);
        ApplyDynamicConfigs(_metadata.Current.BrokerConfigs);
        _topics = new TopicManager(_metadata, () => Config, _loggerFactory.CreateLogger<TopicManager>());
        _configAdmin = new ConfigAdmin(_metadata, _topics, () => Config, LogLevels, _loggerFactory.CreateLogger<ConfigAdmin>());
        _logs = new LogManager(Config.LogDirs, LogConfigs.From(TopicConfig.Create(Config)), new LogManagerOptions
        {
            BrokerId = Config.BrokerId,
            ClusterId = _metadata.Current.ClusterId,
            TopicConfig = LogConfigForTopic,
            RetentionCheckIntervalMs = Config.LogRetentionCheckIntervalMs,
            CleanerEnabled = Config.LogCleanerEnable,
            ProducerState = _producerState,
            ProducerIdExpirationCheckIntervalMs = Config.GetInt("producer.id.expiration.check.interval.ms"),
        }, _time);
        _logs.Startup();
        ControllerFedMetadataCache? controllerFed = (_metadata as IControllerFedClusterMetadata)?.ControllerFed;
        _partitions = new PartitionManager(Config.BrokerId, _metadata, _logs, _topics.LogConfigFor, _loggerFactory.CreateLogger<PartitionManager>(),
            controllerFed is null ? null : controllerFed.IsHostedLocally);

        // Subscribed before the partition manager so a dynamic log.* default is in Config when it pushes log configs.
        _metadata.Changed += OnMetadataChanged;
        _partitions.Start();
        _replicas = new ReplicaManager(Config.BrokerId, _partitions, _topics, _time, () => Config);

        // After the partition manager, so the logs of __consumer_offsets exist when leadership changes reach it.
        _groups = new GroupCoordinator(Config.BrokerId, _metadata, _replicas, () => GroupCoordinatorConfig.From(Config), _time,
            _loggerFactory.CreateLogger<GroupCoordinator>());
        _groups.Start();
        if ((ProducerIdBlocks ?? _metadata as IProducerIdBlockSource) is { } blocks)
        {
            _producerIds = new ProducerIdManager(Config.BrokerId, blocks);
        }
        _connectionOptions = new ConnectionOptions
        {
            MaxRequestSize = Config.SocketRequestMaxBytes,
            IdleTimeout = TimeSpan.FromMilliseconds(Config.ConnectionsMaxIdleMs),
        };
        RegisterBuiltInHandlers();
        Started(_logger, Config.BrokerId, _metadata.Current.ClusterId, _metadata.Current.TopicsByName.Count);
    }

    private void OnMetadataChanged(ClusterImage before, ClusterImage after)
    {
        if (!ReferenceEquals(before.BrokerConfigs, after.BrokerConfigs))
        {
            ApplyDynamicConfigs(after.BrokerConfigs);
        }

        WakeWaitersOfLostLeaderships(before, after);
    }

    /// <summary>
    /// Long-poll fetches and acks=-1 produces waiting on a partition this broker no longer leads are woken so they
    /// answer now (NOT_LEADER_OR_FOLLOWER on re-check) rather than at their timeout, as Kafka completes them when a
    /// partition becomes a follower. Only a controller moves leadership, so the embedded broker never gets here.
    /// </summary>
    private void WakeWaitersOfLostLeaderships(ClusterImage before, ClusterImage after)
    {
        if (_replicas is not { } replicas || _metadata is not IControllerFedClusterMetadata)
        {
            return;
        }

        int self = _staticConfig.BrokerId;
        foreach (TopicState topic in before.TopicsByName.Values)
        {
            after.TryGetTopic(topic.TopicId, out TopicState? now);
            foreach (PartitionState partition in topic.Partitions)
            {
                if (partition.Leader == self
                    && (now is null || partition.Partition >= now.Partitions.Count || now.Partitions[partition.Partition].Leader != self))
                {
                    replicas.OnHighWatermarkMayHaveMoved(new TopicPartition(topic.Name, partition.Partition));
                }
            }
        }
    }

    /// <summary>
    /// Rebuilds <see cref="Config"/> from the static config and the dynamic ones. Like Kafka, a stored dynamic config
    /// that no longer validates (e.g. after an upgrade made it read-only) is logged and the static config kept.
    /// </summary>
    private void ApplyDynamicConfigs(DynamicBrokerConfigs dynamic)
    {
        try
        {
            Config = _staticConfig.WithDynamicConfigs(dynamic.For(_staticConfig.BrokerId), dynamic.ClusterDefault);
        }
        catch (ConfigException e)
        {
            DynamicConfigInvalid(_logger, e.Message);
            Config = _staticConfig;
        }

        _producerState.ProducerIdExpirationMs = Config.ProducerIdExpirationMs;
    }

    private LogConfig LogConfigForTopic(string topic) =>
        _metadata!.Current.TryGetTopic(topic, out TopicState? state) ? _topics!.LogConfigFor(state) : _logs?.DefaultConfig ?? LogConfig.Default;

    private void RegisterBuiltInHandlers()
    {
        foreach (IRequestHandler handler in BuiltInHandlers.Create(this))
        {
            if (!Handlers.IsRegistered(handler.ApiKey))
            {
                Handlers.Register(handler);
            }
        }
    }

    /// <summary>
    /// Serves one connection until it closes. Never throws for anything the client does; during shutdown it stops
    /// reading and finishes the requests already read.
    /// </summary>
    public async Task ServeAsync(IDuplexPipe transport, ConnectionInfo info)
    {
        if (Volatile.Read(ref _state) != 1)
        {
            await transport.Input.CompleteAsync().ConfigureAwait(false);
            await transport.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }

        using var connection = new KafkaConnection(transport, info, Handlers, _connectionOptions, _loggerFactory.CreateLogger<KafkaConnection>(), _time);
        Task run = connection.RunAsync(_stopping.Token);
        _connections[connection] = run;
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Stops serving (connections answer what they have read, then close) and shuts storage down cleanly.</summary>
    public async Task StopAsync(TimeSpan? drainTimeout = null)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);

        // Before draining: JoinGroup and SyncGroup requests wait on the coordinator; it answers them NOT_COORDINATOR.
        _groups?.Stop();
        Task all = Task.WhenAll(_connections.Values);
        await Task.WhenAny(all, Task.Delay(drainTimeout ?? TimeSpan.FromSeconds(30), _time)).ConfigureAwait(false);
        _partitions?.Stop();
        if (_metadata is not null)
        {
            _metadata.Changed -= OnMetadataChanged;
        }

        _logs?.Dispose(); // flush, checkpoints, clean-shutdown marker
        (_metadata as IDisposable)?.Dispose();
        _configAdmin?.Dispose();
        _producerIds?.Dispose();
        Stopped(_logger, Config.BrokerId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The broker has not been started.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Broker {BrokerId} started in cluster {ClusterId} with {Topics} topics")]
    private static partial void Started(ILogger logger, int brokerId, string clusterId, int topics);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Broker {BrokerId} shut down cleanly")]
    private static partial void Stopped(ILogger logger, int brokerId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Ignoring the dynamic broker configs, they do not validate: {Reason}")]
    private static partial void DynamicConfigInvalid(ILogger logger, string reason);
}
