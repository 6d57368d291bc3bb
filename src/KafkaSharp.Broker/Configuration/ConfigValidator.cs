namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// A rule a typed config value must satisfy. <see cref="ToString"/> gives the valid values as Kafka's documentation
/// writes them ("[1,...]", "[compact, delete]"), so error messages read like Kafka's.
/// The static factories are the vocabulary of the config catalogs.
/// </summary>
public abstract class ConfigValidator
{
    /// <summary>Null when <paramref name="value"/> is valid, else why not.</summary>
    public abstract string? Check(object? value);

    public abstract override string ToString();

    public static ConfigValidator AtLeast(double min) => new RangeValidator(min, null, null);

    public static ConfigValidator Between(double min, double max) => new RangeValidator(min, max, null);

    /// <summary>[min,...,max] or -1: e.g. compression.gzip.level, where -1 means the codec's default.</summary>
    public static ConfigValidator BetweenOrMinusOne(double min, double max) => new RangeValidator(min, max, -1);

    /// <summary>-1 or at least min: thread pool sizes where -1 means "use the fallback setting".</summary>
    public static ConfigValidator MinusOneOrAtLeast(double min) => new RangeValidator(min, null, -1);

    public static ConfigValidator OneOf(params string[] values) => new ValidStringValidator(values, StringComparer.Ordinal);

    public static ConfigValidator OneOfIgnoringCase(params string[] values) => new ValidStringValidator(values, StringComparer.OrdinalIgnoreCase);

    /// <summary>A list whose every element is one of <paramref name="values"/>.</summary>
    public static ConfigValidator AnyOfList(params string[] values) => new ValidStringValidator(values, StringComparer.Ordinal);

    public static ConfigValidator NonEmptyString { get; } = new NonEmptyValidator(NonEmptyValidator.Kind.NonEmptyString);

    public static ConfigValidator NonNullString { get; } = new NonEmptyValidator(NonEmptyValidator.Kind.NonNullString);

    /// <summary>controller.quorum.voters: id@host:port entries.</summary>
    public static ConfigValidator QuorumVoters { get; } = new QuorumListValidator(entriesHaveNodeId: true);

    /// <summary>controller.quorum.bootstrap.servers: host:port entries.</summary>
    public static ConfigValidator QuorumBootstrapServers { get; } = new QuorumListValidator(entriesHaveNodeId: false);

    /// <summary>A Kafka release or metadata version such as "3.9", "3.9-IV0" or "0.10.2".</summary>
    public static ConfigValidator MetadataVersion { get; } = new MetadataVersionValidator();

    /// <summary>"*" or partitionId:brokerId pairs (leader/follower.replication.throttled.replicas).</summary>
    public static ConfigValidator ThrottledReplicas { get; } = new ThrottledReplicasValidator();
}
