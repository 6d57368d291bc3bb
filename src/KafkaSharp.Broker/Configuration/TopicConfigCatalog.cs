using System.Diagnostics.CodeAnalysis;
using static KafkaSharp.Broker.Configuration.ConfigValidator;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Every Kafka 3.9 topic-level config, one per line: name, default, valid values, then its broker-level synonyms
/// in Kafka's priority order. Facts from Kafka 3.9's topic-configs page and ServerTopicConfigSynonyms.
/// </summary>
public static class TopicConfigCatalog
{
    private static readonly ConfigValidator? None = null;

    private static readonly TopicConfigDefinition[] _all =
    [
        List("cleanup.policy", "delete", AnyOfList("compact", "delete"), "log.cleanup.policy"),
        Int("compression.gzip.level", "-1", BetweenOrMinusOne(1, 9), "compression.gzip.level"),
        Int("compression.lz4.level", "9", Between(1, 17), "compression.lz4.level"),
        Str("compression.type", "producer", OneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), "compression.type"),
        Int("compression.zstd.level", "3", Between(-131072, 22), "compression.zstd.level"),
        Long("delete.retention.ms", "86400000", AtLeast(0), "log.cleaner.delete.retention.ms"),
        Long("file.delete.delay.ms", "60000", AtLeast(0), "log.segment.delete.delay.ms"),
        Long("flush.messages", "9223372036854775807", AtLeast(1), "log.flush.interval.messages"),
        Long("flush.ms", "9223372036854775807", AtLeast(0), "log.flush.interval.ms", "log.flush.scheduler.interval.ms"),
        List("follower.replication.throttled.replicas", "", ThrottledReplicas),
        Int("index.interval.bytes", "4096", AtLeast(0), "log.index.interval.bytes"),
        List("leader.replication.throttled.replicas", "", ThrottledReplicas),
        Long("local.retention.bytes", "-2", AtLeast(-2), "log.local.retention.bytes"),
        Long("local.retention.ms", "-2", AtLeast(-2), "log.local.retention.ms"),
        Long("max.compaction.lag.ms", "9223372036854775807", AtLeast(1), "log.cleaner.max.compaction.lag.ms"),
        Int("max.message.bytes", "1048588", AtLeast(0), "message.max.bytes"),
        Bool("message.downconversion.enable", "true", None, "log.message.downconversion.enable"),
        Str("message.format.version", "3.0-IV1", MetadataVersion, "log.message.format.version"),
        Long("message.timestamp.after.max.ms", "9223372036854775807", AtLeast(0), "log.message.timestamp.after.max.ms"),
        Long("message.timestamp.before.max.ms", "9223372036854775807", AtLeast(0), "log.message.timestamp.before.max.ms"),
        Long("message.timestamp.difference.max.ms", "9223372036854775807", AtLeast(0), "log.message.timestamp.difference.max.ms"),
        Str("message.timestamp.type", "CreateTime", OneOf("CreateTime", "LogAppendTime"), "log.message.timestamp.type"),
        Dbl("min.cleanable.dirty.ratio", "0.5", Between(0, 1), "log.cleaner.min.cleanable.ratio"),
        Long("min.compaction.lag.ms", "0", AtLeast(0), "log.cleaner.min.compaction.lag.ms"),
        Int("min.insync.replicas", "1", AtLeast(1), "min.insync.replicas"),
        Bool("preallocate", "false", None, "log.preallocate"),
        Bool("remote.log.copy.disable", "false", None),
        Bool("remote.log.delete.on.disable", "false", None),
        Bool("remote.storage.enable", "false", None),
        Long("retention.bytes", "-1", None, "log.retention.bytes"),
        Long("retention.ms", "604800000", AtLeast(-1), "log.retention.ms", "log.retention.minutes", "log.retention.hours"),
        Int("segment.bytes", "1073741824", AtLeast(14), "log.segment.bytes"),
        Int("segment.index.bytes", "10485760", AtLeast(4), "log.index.size.max.bytes"),
        Long("segment.jitter.ms", "0", AtLeast(0), "log.roll.jitter.ms", "log.roll.jitter.hours"),
        Long("segment.ms", "604800000", AtLeast(1), "log.roll.ms", "log.roll.hours"),
        Bool("unclean.leader.election.enable", "false", None, "unclean.leader.election.enable"),
    ];

    private static readonly Dictionary<string, TopicConfigDefinition> _byName =
        _all.ToDictionary(definition => definition.Name, StringComparer.Ordinal);

    public static IReadOnlyList<TopicConfigDefinition> All => _all;

    public static bool TryGet(string name, [NotNullWhen(true)] out TopicConfigDefinition? definition) =>
        _byName.TryGetValue(name, out definition);

    public static TopicConfigDefinition Get(string name) =>
        _byName.TryGetValue(name, out var definition) ? definition : throw new KeyNotFoundException(name);

    // Topic configs can always be altered, so their update mode is "cluster-wide" (never read-only).
    private static TopicConfigDefinition Define(string name, ConfigType type, string defaultText, ConfigValidator? validator, string[] synonyms) =>
        new(new ConfigDefinition(name, type, defaultText, validator, ConfigUpdateMode.ClusterWide), synonyms);

    private static TopicConfigDefinition Bool(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.Boolean, defaultText, validator, synonyms);

    private static TopicConfigDefinition Str(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.String, defaultText, validator, synonyms);

    private static TopicConfigDefinition Int(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.Int, defaultText, validator, synonyms);

    private static TopicConfigDefinition Long(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.Long, defaultText, validator, synonyms);

    private static TopicConfigDefinition Dbl(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.Double, defaultText, validator, synonyms);

    private static TopicConfigDefinition List(string name, string defaultText, ConfigValidator? validator, params string[] synonyms) =>
        Define(name, ConfigType.List, defaultText, validator, synonyms);
}
