using System.IO.Pipelines;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Network;

namespace KafkaSharp.Broker.Tests.Support;

/// <summary>A started broker on a temporary data dir, with clients connected over in-memory pipes.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private static int s_connections;
    private readonly bool _ownsDirectory;

    private TestBroker(KafkaBroker broker, string dataDir, TestLoggerProvider logs, bool ownsDirectory)
    {
        Broker = broker;
        DataDir = dataDir;
        Logs = logs;
        _ownsDirectory = ownsDirectory;
    }

    public KafkaBroker Broker { get; }

    public string DataDir { get; }

    public TestLoggerProvider Logs { get; }

    /// <summary>
    /// Starts a broker; <paramref name="dataDir"/> reuses a directory (a restart), else a new temp one;
    /// <paramref name="time"/> replaces the system clock (e.g. a <see cref="ManualTimeProvider"/>);
    /// <paramref name="metadataFactory"/> replaces the embedded metadata store.
    /// </summary>
    public static TestBroker Start(
        IReadOnlyDictionary<string, string>? overrides = null,
        string? dataDir = null,
        Action<KafkaBroker>? beforeStart = null,
        TimeProvider? time = null,
        Func<BrokerConfig, KafkaSharp.Broker.Cluster.BrokerNode, KafkaSharp.Broker.Cluster.IClusterMetadata>? metadataFactory = null)
    {
        bool owns = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["log.dirs"] = dataDir,
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
            ["log.cleaner.enable"] = "false",
        };
        foreach ((string key, string value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var logs = new TestLoggerProvider();
        var broker = new KafkaBroker(BrokerConfig.Create(null, settings), logs, time, metadataFactory);
        beforeStart?.Invoke(broker);
        broker.Start();
        return new TestBroker(broker, dataDir, logs, owns);
    }

    public TestClient Connect()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        int id = Interlocked.Increment(ref s_connections);
        var info = new ConnectionInfo($"test-{id}", "PLAINTEXT", SecurityProtocol.Plaintext, $"127.0.0.1:{50000 + id}");
        Task serving = Task.Run(() => Broker.ServeAsync(new DuplexPipe(toServer.Reader, toClient.Writer), info));
        return new TestClient(toServer.Writer, toClient.Reader, serving);
    }

    /// <summary>Stops the broker (clean shutdown) without deleting its data, for restart tests.</summary>
    public Task StopAsync() => Broker.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp folder is cleaned by the OS eventually.
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
