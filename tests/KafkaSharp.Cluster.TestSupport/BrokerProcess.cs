using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace KafkaSharp.Cluster.TestSupport;

/// <summary>
/// One KafkaSharp server as a child process (<c>dotnet KafkaSharp.Server.dll --override ...</c>) with its own
/// loopback port and data dir, its output in <see cref="LogPath"/>. It can be killed (SIGKILL: no clean shutdown,
/// the ZooKeeper session expires on its own), stopped (SIGTERM: controlled shutdown) and started again on the same
/// port and data dir.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _settings;
    private Process? _process;
    private Process? _watchdog;
    private StreamWriter? _log;

    internal BrokerProcess(int id, int port, string dataDir, IReadOnlyList<string> settings)
    {
        Id = id;
        Port = port;
        DataDir = dataDir;
        _settings = settings;
    }

    public int Id { get; }

    public int Port { get; }

    public string DataDir { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>Everything the server wrote to stdout and stderr, across restarts.</summary>
    public string LogPath => Path.Combine(DataDir, "server-output.log");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's process id while it runs.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>Starts the server and waits until its port accepts connections (or the process dies: then throws with its output).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Broker {Id} is already running.");
        }

        Directory.CreateDirectory(DataDir);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDir,
        };
        startInfo.ArgumentList.Add(ServerBinary.DllPath);
        foreach (string setting in _settings)
        {
            startInfo.ArgumentList.Add("--override");
            startInfo.ArgumentList.Add(setting);
        }

        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        await _log.WriteLineAsync($"==== starting broker {Id} at {DateTimeOffset.UtcNow:O}").ConfigureAwait(false);
        Process process = ChildProcesses.Start(startInfo);
        StreamWriter log = _log;
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _watchdog = ChildProcesses.StartWatchdog(process);

        await Waits.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Broker {Id} exited with code {process.ExitCode} while starting:{Environment.NewLine}{ReadLogTail()}");
            }

            return await AcceptsConnectionsAsync().ConfigureAwait(false);
        }, $"broker {Id} to listen on port {Port}", timeout).ConfigureAwait(false);
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output arriving after the broker was disposed.
            }
        }
    }

    /// <summary>The last lines of the server's output, for failure messages.</summary>
    public string ReadLogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string[] all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync("127.0.0.1", Port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: the broker dies at once, as in a crash or power loss.</summary>
    public Task KillAsync()
    {
        if (_process is { } process)
        {
            ChildProcesses.Kill(process);
        }

        return EndAsync();
    }

    /// <summary>SIGTERM, then wait for a clean exit (controlled shutdown first); SIGKILL after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false } process)
        {
            ChildProcesses.Terminate(process);
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Append(_log!, $"==== broker {Id} did not stop within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s; killing it");
                ChildProcesses.Kill(process);
            }

            ChildProcesses.Untrack(process);
        }

        await EndAsync().ConfigureAwait(false);
    }

    /// <summary>Ends the watchdog and closes the log once the server process is gone.</summary>
    private async Task EndAsync()
    {
        if (_watchdog is { } watchdog)
        {
            ChildProcesses.Kill(watchdog);
            watchdog.Dispose();
            _watchdog = null;
        }

        if (_process is { } process)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            Append(_log!, string.Create(CultureInfo.InvariantCulture, $"==== broker {Id} exited with code {process.ExitCode}"));
            process.Dispose();
            _process = null;
        }

        if (_log is { } log)
        {
            lock (log)
            {
                log.Dispose();
            }

            _log = null;
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync().ConfigureAwait(false);
}
