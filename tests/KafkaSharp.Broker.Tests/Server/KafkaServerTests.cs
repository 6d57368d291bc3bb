using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Server;

namespace KafkaSharp.Broker.Tests.Server;

/// <summary>The real server host on a loopback port, checked with kcat (librdkafka).</summary>
public sealed class KafkaServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_ServesMetadataToKcat_WhenStartedOnALoopbackPort()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        int port = FreePort();
        using var stop = new CancellationTokenSource();
        Task<int> server = Task.Run(() => KafkaServer.RunAsync(
            ["--override", $"listeners=PLAINTEXT://127.0.0.1:{port}", "--override", $"log.dirs={dataDir}", "--override", "num.partitions=3", "--log-level", "WARN"],
            stop.Token));
        try
        {
            await WaitForPortAsync(port, server);

            // Asking for a missing topic auto-creates it; kcat retries until the leader is known.
            (int exitCode, string output) = await RunKcatAsync("-b", $"127.0.0.1:{port}", "-L", "-J", "-t", "kcat-topic", "-m", "10",
                "-X", "topic.metadata.refresh.interval.ms=100");
            Assert.True(exitCode == 0, output);

            (exitCode, output) = await RunKcatAsync("-b", $"127.0.0.1:{port}", "-L", "-J");
            Assert.True(exitCode == 0, output);
            using JsonDocument metadata = JsonDocument.Parse(output);
            JsonElement broker = Assert.Single(metadata.RootElement.GetProperty("brokers").EnumerateArray());
            Assert.Equal(0, broker.GetProperty("id").GetInt32());
            Assert.Equal($"127.0.0.1:{port}", broker.GetProperty("name").GetString());
            JsonElement topic = Assert.Single(metadata.RootElement.GetProperty("topics").EnumerateArray());
            Assert.Equal("kcat-topic", topic.GetProperty("topic").GetString());
            Assert.Equal(3, topic.GetProperty("partitions").GetArrayLength());
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            Assert.True(File.Exists(Path.Combine(dataDir, Storage.LogManager.CleanShutdownFile)));
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_AnswersOverTcp_WhenARequestFrameIsLargerThanKestrelsDefaultReadBuffer()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        int port = FreePort();
        using var stop = new CancellationTokenSource();
        Task<int> server = Task.Run(() => KafkaServer.RunAsync(
            ["--override", $"listeners=PLAINTEXT://127.0.0.1:{port}", "--override", $"log.dirs={dataDir}", "--log-level", "WARN"],
            stop.Token));
        try
        {
            await WaitForPortAsync(port, server);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();

            // ApiVersions v0 has an empty body; 3 MiB of trailing padding makes the frame bigger than 1 MiB.
            byte[] request = TestClient.Frame(new Protocol.Messages.ApiVersionsRequest(), 0, 42);
            byte[] frame = new byte[request.Length + (3 * 1024 * 1024)];
            request.CopyTo(frame, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
            using var timeout = new CancellationTokenSource(s_timeout);
            await stream.WriteAsync(frame, timeout.Token);

            byte[] header = new byte[8];
            await stream.ReadExactlyAsync(header, timeout.Token);
            Assert.Equal(42, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_ExitsNonZeroNamingTheKey_WhenAConfigIsUnknown()
    {
        TextWriter original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        int exitCode;
        try
        {
            exitCode = await KafkaServer.RunAsync(["--override", "no.such.setting=1"], CancellationToken.None).WaitAsync(s_timeout);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no.such.setting", captured.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Task server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_timeout)
        {
            if (server.IsCompleted)
            {
                throw new InvalidOperationException($"The server exited early with {await (Task<int>)server}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listens on port {port}.");
    }

    private static async Task<(int ExitCode, string Output)> RunKcatAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, process.ExitCode == 0 ? await stdout : await stdout + await stderr);
    }
}
