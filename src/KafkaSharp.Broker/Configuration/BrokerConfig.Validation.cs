namespace KafkaSharp.Broker.Configuration;

public sealed partial class BrokerConfig
{
    /// <summary>Kafka's checks that involve more than one setting (KafkaConfig.validateValues, ZooKeeper mode).</summary>
    private void ValidateCombinations()
    {
        if (GetList("process.roles").Count > 0)
        {
            throw ConfigException.InvalidValue("process.roles", GetOriginal("process.roles"),
                "KafkaSharp runs as a ZooKeeper-mode broker; leave process.roles empty (KRaft is not supported)");
        }

        ValidateBrokerId();
        Require(LogRollMs >= 1, "log.roll.ms", "log.roll.ms must be greater than or equal to 1");
        Require(LogRollJitterMs >= 0, "log.roll.jitter.ms", "log.roll.jitter.ms must be greater than or equal to 0");
        Require(LogRetentionMs is >= 1 or -1, RetentionKeySet(), "log.retention.ms must be unlimited (-1) or, greater than or equal to 1");
        Require(LogDirs.Count > 0, "log.dirs", "At least one log directory must be defined via log.dirs or log.dir.");
        // log.cleaner.threads may be 0 (no cleaner); Kafka would then divide by zero, we skip the check.
        var cleanerThreads = GetInt("log.cleaner.threads");
        Require(cleanerThreads == 0 || GetLong("log.cleaner.dedupe.buffer.size") / cleanerThreads > 1024 * 1024,
            "log.cleaner.dedupe.buffer.size", "log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.");
        Require(GetInt("replica.fetch.wait.max.ms") <= GetInt("replica.socket.timeout.ms"),
            "replica.socket.timeout.ms", "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts");
        Require(GetInt("replica.fetch.wait.max.ms") <= GetLong("replica.lag.time.max.ms"),
            "replica.fetch.wait.max.ms", "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR");
    }

    private void ValidateBrokerId()
    {
        var nodeId = GetInt("node.id");
        if (nodeId != -1 && BrokerIdSetting != -1 && nodeId != BrokerIdSetting)
        {
            throw new ConfigException("node.id", "You must set `node.id` to the same value as `broker.id`.");
        }

        var brokerId = ConfiguredBrokerId;
        if (GetBoolean("broker.id.generation.enable"))
        {
            Require(brokerId >= -1 && brokerId <= GetInt("reserved.broker.max.id"), "broker.id",
                "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id");
        }
        else
        {
            Require(brokerId >= 0, "broker.id", "broker.id must be greater than or equal to 0");
        }
    }

    /// <summary>Names the retention setting the user actually set, so the error points at it.</summary>
    private string RetentionKeySet() =>
        BrokerConfigCatalog.Synonyms("log.retention.ms")
            .FirstOrDefault(key => _layers.TryGetSet(key, out _, out _)) ?? "log.retention.hours";

    private static void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            throw new ConfigException(key, message);
        }
    }
}
