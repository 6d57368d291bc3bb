using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace KafkaSharp.Benchmarks;

/// <summary>
/// Entry point: every benchmark class in this assembly, whatever folder it lives in, is offered to the
/// switcher, so areas added later (Storage/) need no registration here.
/// <c>dotnet run -c Release --project tests/KafkaSharp.Benchmarks -- --filter '*Records*' --job short</c>
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Config());

    private static IConfig Config() =>
        // BenchmarkDotNet builds a boilerplate project before running; its default two-minute limit is too
        // short on the shared 2-core build machine, where that build alone has taken longer.
        ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
}
