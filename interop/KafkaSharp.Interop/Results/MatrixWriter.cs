using System.Globalization;
using System.Text;

namespace KafkaSharp.Interop.Results;

/// <summary>The compatibility matrix as Markdown: scenarios × clients, then producer × consumer, then the details.</summary>
public static class MatrixWriter
{
    public static string Markdown(SuiteResult result, IReadOnlyList<string>? differences = null)
    {
        var md = new StringBuilder();
        var notes = new List<string>();
        md.AppendLine("# Interop compatibility matrix").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Target: {result.Target}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Run: {result.Started:yyyy-MM-dd HH:mm} UTC, {result.Elapsed.TotalSeconds:0} s, run id `{result.RunId}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Clients: {ClientVersions.Describe()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Totals: {result.Count(Verdict.Pass)} pass, {result.Count(Verdict.Fail)} fail, {result.Count(Verdict.NotSupported)} not supported by the client");
        md.AppendLine().AppendLine("pass = every assertion held; **FAIL** = what differed is in the notes; n/s = the client cannot do it (why in the notes).").AppendLine();

        md.Append("| scenario |");
        foreach (string c in result.Clients)
        {
            md.Append(CultureInfo.InvariantCulture, $" {c} |");
        }

        md.AppendLine().Append("| --- |").AppendLine(string.Concat(result.Clients.Select(_ => " --- |")));
        foreach (string s in result.Scenarios)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {s} |");
            foreach (string c in result.Clients)
            {
                Outcome? o = result.Find(c, s);
                md.Append(' ').Append(o is null ? "–" : Cell(o.Verdict, $"{c} / {s}: {Explain(o)}", notes, o.Notes.Count > 0 && o.Verdict == Verdict.Pass)).Append(" |");
            }

            md.AppendLine();
        }

        if (result.Mixed.Count > 0)
        {
            md.AppendLine().AppendLine("## Mixed clients: rows produce, columns consume (keys, values, headers byte for byte)").AppendLine();
            md.Append("| producer ↓ consumer → |").AppendLine(string.Concat(result.Clients.Select(c => $" {c} |")));
            md.Append("| --- |").AppendLine(string.Concat(result.Clients.Select(_ => " --- |")));
            foreach (string p in result.Clients)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {p} |");
                foreach (string c in result.Clients)
                {
                    Scenarios.MixedClients.Cell? cell = result.Mixed.FirstOrDefault(x => x.Producer == p && x.Consumer == c);
                    md.Append(' ').Append(cell is null ? "–" : Cell(cell.Verdict, $"{p} → {c}: {cell.Detail}", notes, false)).Append(" |");
                }

                md.AppendLine();
            }
        }

        if (result.MixedGroup is { } group)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {Scenarios.MixedGroup.ScenarioName}").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Members from {string.Join(", ", result.Clients)}, all offering roundrobin, on six partitions; the last leaves: {Cell(group.Verdict, $"mixed group: {group.Detail}", notes, false)}");
        }

        string[] partitioners = [.. result.Outcomes.Where(o => o.Observation["partitioner"] is not null)
            .Select(o => $"{o.Client}: {o.Observation["partitioner"]}")];
        if (partitioners.Length > 0)
        {
            md.AppendLine().AppendLine("## Default key partitioner each client matched").AppendLine();
            foreach (string p in partitioners)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {p}");
            }
        }

        if (differences is not null)
        {
            md.AppendLine().AppendLine("## Differential comparison").AppendLine();
            md.AppendLine(differences.Count == 0 ? "No differences after normalisation." : string.Join('\n', differences.Select(d => $"- {d}")));
        }

        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            for (int i = 0; i < notes.Count; i++)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {notes[i].ReplaceLineEndings(" ")}");
            }
        }

        return md.ToString();
    }

    private static string Explain(Outcome o) =>
        string.Join("; ", new[] { o.Detail }.Concat(o.Notes).Where(s => s.Length > 0));

    private static string Cell(Verdict verdict, string note, List<string> notes, bool passWithNote)
    {
        if (verdict == Verdict.Pass && !passWithNote)
        {
            return "pass";
        }

        notes.Add(note.Length > 600 ? note[..600] + "…" : note);
        string label = verdict switch
        {
            Verdict.Pass => "pass",
            Verdict.Fail => "**FAIL**",
            _ => "n/s",
        };
        return $"{label} [{notes.Count}]";
    }

    /// <summary>A plain-text summary for the console: one line per failure.</summary>
    public static string Summary(SuiteResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Count(Verdict.Pass)} pass, {result.Count(Verdict.Fail)} fail, {result.Count(Verdict.NotSupported)} not supported ({result.Elapsed.TotalSeconds:0} s)");
        foreach (Outcome o in result.Outcomes.Where(o => o.Verdict == Verdict.Fail))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FAIL {o.Client} / {o.Scenario}: {o.Detail}");
        }

        if (result.MixedGroup is { Verdict: Verdict.Fail } g)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FAIL {g.Scenario}: {g.Detail}");
        }

        foreach (Scenarios.MixedClients.Cell c in result.Mixed.Where(c => c.Verdict == Verdict.Fail))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FAIL mixed {c.Producer} → {c.Consumer}: {c.Detail}");
        }

        return text.ToString();
    }
}
