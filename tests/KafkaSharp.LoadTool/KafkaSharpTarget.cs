using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Server;

namespace KafkaSharp.LoadTool;

/// <summary>
/// KafkaSharp: a broker at --bootstrap, or one this tool starts in its own process (the real server, Kestrel on a
/// loopback socket) with a temporary data directory that is deleted afterwards.
/// </summary>
internal sealed class KafkaSharpTarget : ITarget
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource? _stop;
    private readonly Task<int>? _server;
    private readonly string? _dataDir;

    private KafkaSharpTarget(string name, string bootstrap, CancellationTokenSource? stop, Task<int>? server, string? dataDir)
    {
        Name = name;
        BootstrapServers = bootstrap;
        _stop = stop;
        _server = server;
        _dataDir = dataDir;
    }

    public string Name { get; }

    public string BootstrapServers { get; }

    public static KafkaSharpTarget Existing(string bootstrap) => new("KafkaSharp", bootstrap, null, null, null);

    /// <param name="name">How the report names this target.</param>
    /// <param name="overrides">Extra broker settings, key=value, on top of the defaults.</param>
    public static async Task<KafkaSharpTarget> StartAsync(string name = "KafkaSharp", params string[] overrides)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-load", Guid.NewGuid().ToString("N"));
        int port = FreePort();
        var stop = new CancellationTokenSource();
        string[] args =
        [
            "--override", $"listeners=PLAINTEXT://127.0.0.1:{port}", "--override", $"log.dirs={dataDir}",
            "--override", "auto.create.topics.enable=false", "--log-level", "WARN",
            .. overrides.SelectMany(o => new[] { "--override", o }),
        ];
        Task<int> server = Task.Run(() => KafkaServer.RunAsync(args, stop.Token));
        var target = new KafkaSharpTarget(name, $"127.0.0.1:{port}", stop, server, dataDir);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (server.IsCompleted)
            {
                throw new InvalidOperationException($"The server exited with {await server}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return target;
            }
            catch (SocketException) when (waited.Elapsed < s_timeout)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]).WaitAsync(s_timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null || _server is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _server.WaitAsync(s_timeout);
        _stop.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
