using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KafkaSharp.Interop.Results;

/// <summary>
/// Makes results from two clusters comparable: drops what legitimately differs between clusters (cluster and node
/// ids, addresses, broker-assigned timestamps, timings) and replaces run ids and ports in messages.
/// </summary>
public static partial class Normaliser
{
    /// <summary>Observation fields that identify a cluster or a moment rather than a behaviour.</summary>
    public static readonly IReadOnlySet<string> VolatileFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "cluster_id", "controller", "node_id", "leader", "replicas", "host", "port", "broker_timestamp", "elapsed_ms", "member_id", "client_host",
    };

    public static JsonObject Normalise(Outcome outcome, string runId) => new()
    {
        ["verdict"] = outcome.Verdict.ToString(),
        ["observation"] = Strip(outcome.Observation.DeepClone()),
        ["detail"] = Text(outcome.Detail, runId),
    };

    public static string Text(string message, string runId) =>
        Port().Replace(message.Replace(runId, "<run>", StringComparison.Ordinal), "${host}:<port>");

    public static JsonNode? Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string name in obj.Select(kv => kv.Key).ToArray())
                {
                    if (VolatileFields.Contains(name))
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        Strip(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Strip(item);
                }

                break;
            default:
                break;
        }

        return node;
    }

    [GeneratedRegex(@"(?<host>127\.0\.0\.1|localhost):\d+")]
    private static partial Regex Port();
}
