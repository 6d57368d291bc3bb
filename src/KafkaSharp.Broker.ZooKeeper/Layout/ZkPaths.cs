namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// Kafka's znode paths in ZooKeeper mode (kafka.zk.ZkData), relative to the chroot of zookeeper.connect. Tools that
/// read ZooKeeper (zkCli, Burrow, Offset Explorer) expect exactly these.
/// </summary>
public static class ZkPaths
{
    public const string ClusterId = "/cluster/id";
    public const string Controller = "/controller";
    public const string ControllerEpoch = "/controller_epoch";
    public const string BrokerIds = "/brokers/ids";
    public const string BrokerSequenceId = "/brokers/seqid";
    public const string Topics = "/brokers/topics";
    public const string TopicConfigs = "/config/topics";
    public const string BrokerConfigs = "/config/brokers";
    public const string ConfigChanges = "/config/changes";
    public const string ConfigChangePrefix = ConfigChanges + "/config_change_";
    public const string DeleteTopics = "/admin/delete_topics";
    public const string ReassignPartitions = "/admin/reassign_partitions";
    public const string PreferredReplicaElection = "/admin/preferred_replica_election";
    public const string IsrChangeNotification = "/isr_change_notification";
    public const string LogDirEventNotification = "/log_dir_event_notification";
    public const string Feature = "/feature";

    /// <summary>The name ZooKeeper keeps the cluster-wide dynamic broker configs under.</summary>
    public const string DefaultBrokerEntity = "<default>";

    /// <summary>
    /// The persistent paths every ZooKeeper-mode broker creates at start (KafkaZkClient.createTopLevelPaths),
    /// so watches on them can be set before anything is in them.
    /// </summary>
    public static IReadOnlyList<string> Persistent { get; } =
    [
        "/consumers", BrokerIds, Topics, ConfigChanges, TopicConfigs, BrokerConfigs, "/config/clients", "/config/users",
        "/config/ips", "/admin", DeleteTopics, BrokerSequenceId, IsrChangeNotification, "/latest_producer_id_block",
        LogDirEventNotification,
    ];

    public static string Broker(int id) => $"{BrokerIds}/{id}";

    public static string Topic(string topic) => $"{Topics}/{topic}";

    public static string Partitions(string topic) => $"{Topics}/{topic}/partitions";

    public static string Partition(string topic, int partition) => $"{Topics}/{topic}/partitions/{partition}";

    public static string PartitionState(string topic, int partition) => $"{Topics}/{topic}/partitions/{partition}/state";

    public static string TopicConfig(string topic) => $"{TopicConfigs}/{topic}";

    /// <summary>/config/brokers/&lt;id&gt;, or /config/brokers/&lt;default&gt; for a null id.</summary>
    public static string BrokerConfig(int? brokerId) => $"{BrokerConfigs}/{(brokerId is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : DefaultBrokerEntity)}";

    public static string DeleteTopic(string topic) => $"{DeleteTopics}/{topic}";
}
