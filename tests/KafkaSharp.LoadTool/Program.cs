using System.Globalization;
using KafkaSharp.LoadTool;

// usage: KafkaSharp.LoadTool [--groups] [--bootstrap host:port] [--duration seconds] [--only kafkasharp|mock]
// Runs every cell (100 B and 1 KiB records, acks=1 and all, 1 and 8 partitions) against KafkaSharp (started here
// with a temporary data directory unless --bootstrap is given) and then against librdkafka's mock cluster, and
// prints Markdown tables: the measurements, and KafkaSharp/mock ratios. --groups runs the consumer-group workload
// instead (GroupWorkload: rebalance times of 10 members on 100 partitions, offset commits per second).
string? bootstrap = null;
var duration = TimeSpan.FromSeconds(3);
string? only = null;
bool groups = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--bootstrap" when i + 1 < args.Length:
            bootstrap = args[++i];
            break;
        case "--duration" when i + 1 < args.Length:
            duration = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--groups":
            groups = true;
            break;
        case "--only" when i + 1 < args.Length && args[i + 1] is "kafkasharp" or "mock":
            only = args[++i];
            break;
        default:
            await Console.Error.WriteLineAsync("usage: KafkaSharp.LoadTool [--groups] [--bootstrap host:port] [--duration seconds] [--only kafkasharp|mock]");
            return 64;
    }
}

RdKafka.EnsureLoaded();
if (groups)
{
    return await GroupsMode.RunAsync(bootstrap, duration, only);
}

var results = new List<CellResult>();
if (only is null or "kafkasharp")
{
    await using KafkaSharpTarget kafkaSharp = bootstrap is null ? await KafkaSharpTarget.StartAsync() : KafkaSharpTarget.Existing(bootstrap);
    results.AddRange(await RunAllAsync(kafkaSharp, duration));
}

if (only is null or "mock")
{
    await using MockTarget mock = MockTarget.Start();
    results.AddRange(await RunAllAsync(mock, duration));
}

Console.WriteLine();
Console.WriteLine(Report.Measurements(results));
if (only is null)
{
    Console.WriteLine(Report.Ratios(results));
}

return 0;

static async Task<List<CellResult>> RunAllAsync(ITarget target, TimeSpan duration)
{
    var results = new List<CellResult>();
    foreach (Cell cell in Cell.All())
    {
        await Console.Error.WriteLineAsync($"{target.Name} ({target.BootstrapServers}): {cell} for {duration.TotalSeconds} s");
        results.Add(await Workload.RunAsync(target, cell, duration));
    }

    return results;
}
