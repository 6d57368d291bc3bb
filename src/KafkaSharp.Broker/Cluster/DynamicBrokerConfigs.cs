namespace KafkaSharp.Broker.Cluster;

/// <summary>
/// Broker configs set at runtime with AlterConfigs / IncrementalAlterConfigs (KIP-226): one set per broker id and one
/// cluster-wide default set (the resource with an empty name), as ZooKeeper keeps them under /config/brokers/&lt;id&gt;
/// and /config/brokers/&lt;default&gt;. Raw text, exactly as given; BrokerConfig interprets it.
/// </summary>
public sealed record DynamicBrokerConfigs(
    IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> PerBroker,
    IReadOnlyDictionary<string, string> ClusterDefault)
{
    private static readonly IReadOnlyDictionary<string, string> _none = new Dictionary<string, string>(StringComparer.Ordinal);

    public static DynamicBrokerConfigs Empty { get; } = new(new Dictionary<int, IReadOnlyDictionary<string, string>>(), _none);

    /// <summary>The set for <paramref name="brokerId"/>, or the cluster default when it is null; empty when none.</summary>
    public IReadOnlyDictionary<string, string> For(int? brokerId) =>
        brokerId is { } id ? PerBroker.GetValueOrDefault(id) ?? _none : ClusterDefault;

    /// <summary>A copy with the set of <paramref name="brokerId"/> (null: the cluster default) replaced.</summary>
    public DynamicBrokerConfigs With(int? brokerId, IReadOnlyDictionary<string, string> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var copy = new Dictionary<string, string>(configs, StringComparer.Ordinal);
        if (brokerId is not { } id)
        {
            return this with { ClusterDefault = copy };
        }

        var perBroker = new Dictionary<int, IReadOnlyDictionary<string, string>>(PerBroker);
        if (copy.Count == 0)
        {
            perBroker.Remove(id);
        }
        else
        {
            perBroker[id] = copy;
        }

        return this with { PerBroker = perBroker };
    }
}
