using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KafkaSharp.Server;

namespace KafkaSharp.Broker.Tests.Fetch;

/// <summary>kcat (librdkafka) produces and consumes through the real server on a loopback port.</summary>
public sealed class KcatRoundTripTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KcatConsume_ReadsBackWhatKcatProduced_WhenEachCodecIsUsed()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        int port = FreePort();
        string broker = $"127.0.0.1:{port}";
        using var stop = new CancellationTokenSource();
        Task<int> server = Task.Run(() => KafkaServer.RunAsync(
            ["--override", $"listeners=PLAINTEXT://{broker}", "--override", $"log.dirs={dataDir}", "--override", "num.partitions=1", "--log-level", "WARN"],
            stop.Token));
        try
        {
            await WaitForPortAsync(port, server);
            foreach (string codec in new[] { "none", "gzip", "snappy", "lz4", "zstd" })
            {
                string topic = "kcat-" + codec;
                (int exitCode, string output) = await RunKcatAsync("k1:v1\nk2:value two\nk3:v3\n",
                    "-b", broker, "-P", "-t", topic, "-K", ":", "-z", codec, "-H", "h1=x", "-H", "h2=", "-X", "topic.metadata.refresh.interval.ms=100");
                Assert.True(exitCode == 0, output);

                (exitCode, output) = await RunKcatAsync(null, "-b", broker, "-C", "-t", topic, "-o", "beginning", "-e", "-J");
                Assert.True(exitCode == 0, output);
                JsonElement[] messages = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
                Assert.Equal(["k1", "k2", "k3"], messages.Select(m => m.GetProperty("key").GetString()));
                Assert.Equal(["v1", "value two", "v3"], messages.Select(m => m.GetProperty("payload").GetString()));
                Assert.Equal([0L, 1L, 2L], messages.Select(m => m.GetProperty("offset").GetInt64()));
                foreach (JsonElement message in messages)
                {
                    Assert.Equal(["h1", "x", "h2", ""], message.GetProperty("headers").EnumerateArray().Select(h => h.GetString()));
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            Directory.Delete(dataDir, recursive: true);
        }
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

    private static async Task<(int ExitCode, string Output)> RunKcatAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
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
