using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.Server;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// The real server (<see cref="KafkaServer.RunAsync"/>, Kestrel on a socket) in this process, on a free loopback
/// port with its own data directory. <see cref="RestartAsync"/> stops it cleanly and starts it again on the same
/// directory and port, as an operator restarting a broker would.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    public static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly string[] _overrides;
    private readonly bool _ownsDataDir;
    private CancellationTokenSource? _stop;
    private Task<int>? _running;

    private ServerHost(string dataDir, int port, string[] overrides, bool ownsDataDir)
    {
        DataDir = dataDir;
        Port = port;
        _overrides = overrides;
        _ownsDataDir = ownsDataDir;
    }

    public string DataDir { get; }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <param name="overrides">Extra broker configs as key=value, passed as <c>--override</c>.</param>
    public static async Task<ServerHost> StartAsync(params string[] overrides)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-integration", Guid.NewGuid().ToString("N"));
        // The test's own settings come last, so they win over the mode's.
        var host = new ServerHost(dataDir, FreePort(), [.. await MetadataMode.SettingsForNewServerAsync(), .. overrides], ownsDataDir: true);
        await host.StartServerAsync();
        return host;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartServerAsync();
    }

    /// <summary>Stops the server and checks it exited cleanly; the data directory stays.</summary>
    public async Task StopAsync()
    {
        if (_running is null || _stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        int exitCode = await _running.WaitAsync(StartStopTimeout);
        _stop.Dispose();
        _stop = null;
        _running = null;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"The server exited with {exitCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_ownsDataDir && Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }
        }
    }

    private async Task StartServerAsync()
    {
        var args = new List<string>
        {
            "--override", $"listeners=PLAINTEXT://127.0.0.1:{Port}",
            "--override", $"log.dirs={DataDir}",
            "--override", "num.partitions=1",
            "--override", "offsets.topic.replication.factor=1",
            "--log-level", Environment.GetEnvironmentVariable("KAFKASHARP_TEST_LOG_LEVEL") ?? "WARN",
        };
        foreach (string setting in _overrides)
        {
            args.Add("--override");
            args.Add(setting);
        }

        _stop = new CancellationTokenSource();
        CancellationToken token = _stop.Token;
        string[] argv = [.. args];
        _running = Task.Run(() => KafkaServer.RunAsync(argv, token));
        await WaitForPortAsync();
    }

    private async Task WaitForPortAsync()
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < StartStopTimeout)
        {
            if (_running!.IsCompleted)
            {
                throw new InvalidOperationException($"The server exited early with {await _running}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(StartStopTimeout);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listens on port {Port}.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
