using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Results;

/// <summary>Compares two runs (the target and a reference cluster) cell by cell, after normalisation.</summary>
public static class Differ
{
    public static IReadOnlyList<string> Compare(SuiteResult target, SuiteResult reference)
    {
        var differences = new List<string>();
        foreach (string client in target.Clients.Union(reference.Clients))
        {
            foreach (string scenario in target.Scenarios.Union(reference.Scenarios))
            {
                Outcome? a = target.Find(client, scenario), b = reference.Find(client, scenario);
                if (a is null || b is null)
                {
                    if (a is not null || b is not null)
                    {
                        differences.Add($"{client} / {scenario}: ran against only one cluster");
                    }

                    continue;
                }

                foreach (string d in Diff(Normaliser.Normalise(a, target.RunId), Normaliser.Normalise(b, reference.RunId), ""))
                {
                    differences.Add($"{client} / {scenario}: {d}");
                }
            }
        }

        foreach (Scenarios.MixedClients.Cell a in target.Mixed)
        {
            Scenarios.MixedClients.Cell? b = reference.Mixed.FirstOrDefault(x => x.Producer == a.Producer && x.Consumer == a.Consumer);
            if (b is not null && a.Verdict != b.Verdict)
            {
                differences.Add($"mixed {a.Producer} → {a.Consumer}: {a.Verdict} here, {b.Verdict} on the reference ({Normaliser.Text(a.Detail, target.RunId)} | {Normaliser.Text(b.Detail, reference.RunId)})");
            }
        }

        return differences;
    }

    /// <summary>Every path where two JSON values differ, as "path: A vs B".</summary>
    public static IEnumerable<string> Diff(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (string key in x.Select(kv => kv.Key).Union(y.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
                {
                    string child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!x.ContainsKey(key) || !y.ContainsKey(key))
                    {
                        yield return $"{child}: {(x.ContainsKey(key) ? Show(x[key]) : "absent")} vs {(y.ContainsKey(key) ? Show(y[key]) : "absent")}";
                        continue;
                    }

                    foreach (string d in Diff(x[key], y[key], child))
                    {
                        yield return d;
                    }
                }

                break;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (int i = 0; i < x.Count; i++)
                {
                    foreach (string d in Diff(x[i], y[i], $"{path}[{i}]"))
                    {
                        yield return d;
                    }
                }

                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    yield return $"{(path.Length == 0 ? "value" : path)}: {Show(a)} vs {Show(b)}";
                }

                break;
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
