namespace KafkaSharp.Broker.Configuration;

/// <summary>Typed views of the settings the broker itself uses, with Kafka's derivations between related keys.</summary>
public sealed partial class BrokerConfig
{
    private const long MillisPerMinute = 60L * 1000L;
    private const long MillisPerHour = 60L * MillisPerMinute;

    /// <summary>
    /// broker.id, or node.id when only that is set (Kafka treats them as synonyms). -1 means "generate one",
    /// which only happens with a properties file that sets neither.
    /// </summary>
    public int BrokerId => _layers.GeneratedBrokerId ?? ConfiguredBrokerId;

    /// <summary>broker.id, else node.id (-1: to be generated in ZooKeeper).</summary>
    private int ConfiguredBrokerId => BrokerIdSetting != -1 ? BrokerIdSetting : GetInt("node.id");

    public string? BrokerRack => GetString("broker.rack");

    /// <summary>log.dirs, else log.dir, split on commas.</summary>
    public IReadOnlyList<string> LogDirs =>
        [.. ListenerParser.SplitCsv(GetString("log.dirs") ?? GetString("log.dir") ?? string.Empty)];

    public int NumPartitions => GetInt("num.partitions");

    public int DefaultReplicationFactor => GetInt("default.replication.factor");

    public bool AutoCreateTopicsEnable => GetBoolean("auto.create.topics.enable");

    public bool DeleteTopicEnable => GetBoolean("delete.topic.enable");

    /// <summary>
    /// Retention time: log.retention.ms, else log.retention.minutes, else log.retention.hours; any negative value
    /// means unlimited and is reported as -1.
    /// </summary>
    public long LogRetentionMs
    {
        get
        {
            var millis = GetNullableLong("log.retention.ms")
                ?? (GetNullableInt("log.retention.minutes") is { } minutes
                    ? minutes * MillisPerMinute
                    : GetInt("log.retention.hours") * MillisPerHour);
            return millis < 0 ? -1 : millis;
        }
    }

    public long LogRetentionBytes => GetLong("log.retention.bytes");

    public long LogRetentionCheckIntervalMs => GetLong("log.retention.check.interval.ms");

    public int LogSegmentBytes => GetInt("log.segment.bytes");

    /// <summary>log.roll.ms, else log.roll.hours.</summary>
    public long LogRollMs => GetNullableLong("log.roll.ms") ?? GetInt("log.roll.hours") * MillisPerHour;

    /// <summary>log.roll.jitter.ms, else log.roll.jitter.hours.</summary>
    public long LogRollJitterMs => GetNullableLong("log.roll.jitter.ms") ?? GetInt("log.roll.jitter.hours") * MillisPerHour;

    public long LogFlushIntervalMessages => GetLong("log.flush.interval.messages");

    /// <summary>log.flush.interval.ms, else log.flush.scheduler.interval.ms.</summary>
    public long LogFlushIntervalMs => GetNullableLong("log.flush.interval.ms") ?? GetLong("log.flush.scheduler.interval.ms");

    public IReadOnlyList<string> LogCleanupPolicy => GetList("log.cleanup.policy");

    public bool LogCleanerEnable => GetBoolean("log.cleaner.enable");

    public int NumRecoveryThreadsPerDataDir => GetInt("num.recovery.threads.per.data.dir");

    public int MessageMaxBytes => GetInt("message.max.bytes");

    public int MinInsyncReplicas => GetInt("min.insync.replicas");

    public bool UncleanLeaderElectionEnable => GetBoolean("unclean.leader.election.enable");

    public string CompressionType => GetString("compression.type")!;

    public int SocketRequestMaxBytes => GetInt("socket.request.max.bytes");

    public int SocketSendBufferBytes => GetInt("socket.send.buffer.bytes");

    public int SocketReceiveBufferBytes => GetInt("socket.receive.buffer.bytes");

    public long ConnectionsMaxIdleMs => GetLong("connections.max.idle.ms");

    public int MaxConnections => GetInt("max.connections");

    public int MaxConnectionsPerIp => GetInt("max.connections.per.ip");

    public int NumNetworkThreads => GetInt("num.network.threads");

    public int NumIoThreads => GetInt("num.io.threads");

    public int QueuedMaxRequests => GetInt("queued.max.requests");

    public int FetchMaxBytes => GetInt("fetch.max.bytes");

    public int OffsetsTopicNumPartitions => GetInt("offsets.topic.num.partitions");

    public short OffsetsTopicReplicationFactor => GetShort("offsets.topic.replication.factor");

    public int OffsetsTopicSegmentBytes => GetInt("offsets.topic.segment.bytes");

    public int OffsetsRetentionMinutes => GetInt("offsets.retention.minutes");

    public long OffsetsRetentionCheckIntervalMs => GetLong("offsets.retention.check.interval.ms");

    public int OffsetMetadataMaxBytes => GetInt("offset.metadata.max.bytes");

    public int TransactionStateLogNumPartitions => GetInt("transaction.state.log.num.partitions");

    public short TransactionStateLogReplicationFactor => GetShort("transaction.state.log.replication.factor");

    public int TransactionStateLogMinIsr => GetInt("transaction.state.log.min.isr");

    public int TransactionMaxTimeoutMs => GetInt("transaction.max.timeout.ms");

    public int TransactionalIdExpirationMs => GetInt("transactional.id.expiration.ms");

    public int ProducerIdExpirationMs => GetInt("producer.id.expiration.ms");

    public int GroupInitialRebalanceDelayMs => GetInt("group.initial.rebalance.delay.ms");

    public int GroupMinSessionTimeoutMs => GetInt("group.min.session.timeout.ms");

    public int GroupMaxSessionTimeoutMs => GetInt("group.max.session.timeout.ms");

    public int GroupMaxSize => GetInt("group.max.size");

    /// <summary>zookeeper.connect; null when the broker runs embedded, without ZooKeeper.</summary>
    public string? ZooKeeperConnect => GetString("zookeeper.connect");

    public int ZooKeeperSessionTimeoutMs => GetInt("zookeeper.session.timeout.ms");

    /// <summary>zookeeper.connection.timeout.ms, else zookeeper.session.timeout.ms.</summary>
    public int ZooKeeperConnectionTimeoutMs => GetNullableInt("zookeeper.connection.timeout.ms") ?? ZooKeeperSessionTimeoutMs;

    public bool ControlledShutdownEnable => GetBoolean("controlled.shutdown.enable");

    private int BrokerIdSetting => GetInt("broker.id");
}
