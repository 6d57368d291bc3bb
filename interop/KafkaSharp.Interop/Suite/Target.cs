using System.Net;
using System.Net.Sockets;
using KafkaSharp.Server;

namespace KafkaSharp.Interop.Suite;

/// <summary>The cluster the scenarios run against: a fresh KafkaSharp in this process, or any cluster by address.</summary>
public sealed class Target : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource? _stop;
    private readonly Task<int>? _running;
    private readonly string? _dataDir;

    private Target(string bootstrap, string description, CancellationTokenSource? stop = null, Task<int>? running = null, string? dataDir = null)
    {
        Bootstrap = bootstrap;
        Description = description;
        _stop = stop;
        _running = running;
        _dataDir = dataDir;
    }

    public string Bootstrap { get; }

    /// <summary>What the matrix is labelled with: "KafkaSharp (in process)" or the external address.</summary>
    public string Description { get; }

    public static Target External(string bootstrap) => new(bootstrap, $"external cluster at {bootstrap}");

    /// <summary>Starts KafkaSharp's server (Kestrel, as the executable does) on a free loopback port and a temp directory.</summary>
    public static async Task<Target> StartKafkaSharpAsync()
    {
        int port = FreePort();
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-interop", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--override", $"listeners=PLAINTEXT://127.0.0.1:{port}",
            "--override", $"log.dirs={dataDir}",
            "--override", "num.partitions=1",
            "--override", "offsets.topic.replication.factor=1",
            // Groups form without the default 3 s wait: the scenarios start their members together.
            "--override", "group.initial.rebalance.delay.ms=0",
            "--log-level", "WARN",
        ];
        var stop = new CancellationTokenSource();
        Task<int> running = Task.Run(() => KafkaServer.RunAsync(args, stop.Token));
        var target = new Target($"127.0.0.1:{port}", "KafkaSharp (fresh broker started by the suite)", stop, running, dataDir);
        await target.WaitForPortAsync(port);
        return target;
    }

    private async Task WaitForPortAsync(int port)
    {
        using var deadline = new CancellationTokenSource(StartStopTimeout);
        while (true)
        {
            if (_running!.IsCompleted)
            {
                throw new InvalidOperationException($"KafkaSharp exited early with {await _running}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null && _running is not null)
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(StartStopTimeout);
            _stop.Dispose();
        }

        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
