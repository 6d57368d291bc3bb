using System.Text.RegularExpressions;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// leader/follower.replication.throttled.replicas: the literal "*" or a list of partitionId:brokerId pairs.
/// Like Kafka, empty elements are tolerated.
/// </summary>
internal sealed partial class ThrottledReplicasValidator : ConfigValidator
{
    public override string? Check(object? value)
    {
        if (value is not IEnumerable<string> list)
        {
            return null;
        }

        var items = list.Select(item => item.Trim()).ToList();
        if (string.Concat(items) == "*" || items.All(item => ReplicaPair().IsMatch(item)))
        {
            return null;
        }

        return $"must be the literal '*' or a list of replicas in the format {this}";
    }

    public override string ToString() => "[partitionId]:[brokerId],[partitionId]:[brokerId],...";

    [GeneratedRegex("^([0-9]+:[0-9]+)?$")]
    private static partial Regex ReplicaPair();
}
