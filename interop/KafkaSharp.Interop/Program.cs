using KafkaSharp.Interop.Results;
using KafkaSharp.Interop.Suite;

// dotnet run -c Release --project interop/KafkaSharp.Interop -- [--clients a,b] [--scenarios x,y] [--no-mixed]
//     [--parallel N] [--out file.md] [--differential BOOTSTRAP_A BOOTSTRAP_B]
// Without --differential: KAFKA_BOOTSTRAP names a cluster, otherwise a fresh KafkaSharp is started in process;
// KAFKA_BOOTSTRAP with KAFKA_BOOTSTRAP_REFERENCE is the same as --differential "$KAFKA_BOOTSTRAP" "$KAFKA_BOOTSTRAP_REFERENCE".
// Exit code 0 when nothing failed, 1 when a scenario failed (or, in differential mode, the clusters differed).
var options = new SuiteOptions();
string output = Path.Combine(KafkaSharp.Interop.Clients.InteropPaths.Root, "results", "compatibility-matrix.md");
string? differentialA = null, differentialB = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clients":
            options = options with { Clients = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries) };
            break;
        case "--scenarios":
            options = options with { Scenarios = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries) };
            break;
        case "--no-mixed":
            options = options with { Mixed = false };
            break;
        case "--parallel":
            options = options with { Parallelism = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) };
            break;
        case "--out":
            output = Path.GetFullPath(args[++i]);
            break;
        case "--differential":
            differentialA = args[++i];
            differentialB = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; see the comment at the top of Program.cs or interop/README.md");
            return 64;
    }
}

string? external = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP");
string? referenceCluster = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_REFERENCE");
if (differentialA is null && !string.IsNullOrEmpty(external) && !string.IsNullOrEmpty(referenceCluster))
{
    (differentialA, differentialB) = (external, referenceCluster);
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

if (differentialA is not null && differentialB is not null)
{
    Differential.Report report = await Differential.RunAsync(differentialA, differentialB, options, Console.Out, interrupted.Token);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, MatrixWriter.Markdown(report.Target, report.Differences));
    Console.WriteLine(MatrixWriter.Summary(report.Target));
    Console.WriteLine(report.Differences.Count == 0 ? "differential: no differences" : "differential:\n  " + string.Join("\n  ", report.Differences));
    Console.WriteLine($"matrix written to {output}");
    return report.Differences.Count == 0 ? 0 : 1;
}

await using Target target = string.IsNullOrEmpty(external) ? await Target.StartKafkaSharpAsync() : Target.External(external);
SuiteResult result = await InteropSuite.RunAsync(target.Bootstrap, target.Description, options, Console.Out, interrupted.Token);
string markdown = MatrixWriter.Markdown(result);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine(MatrixWriter.Summary(result));
Console.WriteLine($"matrix written to {output}");
return result.Count(Verdict.Fail) == 0 ? 0 : 1;
