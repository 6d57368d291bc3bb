using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>
/// One real ZooKeeper server (the Debian package's jar) in a JVM of its own, on loopback, with its data and log in
/// a temporary folder that goes when the server is disposed. Disposing kills the process tree. Reusable by any
/// test that needs a ZooKeeper: start one with <see cref="StartStandaloneAsync"/>, or three with
/// <see cref="ZooKeeperEnsemble"/>.
/// </summary>
public sealed class ZooKeeperServerProcess : IAsyncDisposable
{
    /// <summary>Where the server jar and its configuration folder live; override with KAFKASHARP_ZOOKEEPER_CLASSPATH.</summary>
    public static string ClassPath =>
        Environment.GetEnvironmentVariable("KAFKASHARP_ZOOKEEPER_CLASSPATH")
        ?? BuildDefaultClassPath();

    /// <summary>Short ticks keep session tests short: sessions may then last 1 s (2 ticks) to 10 s (20 ticks).</summary>
    public const int TickTimeMs = 500;

    private static readonly Lock s_liveLock = new();
    private static readonly HashSet<Process> s_live = [];

    private readonly Process _process;

    static ZooKeeperServerProcess()
    {
        // A test run that dies without disposing must not leave JVMs behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (s_liveLock)
            {
                foreach (Process process in s_live)
                {
                    TryKill(process);
                }
            }
        };
    }

    private ZooKeeperServerProcess(Process process, int clientPort, string directory, int? myId)
    {
        _process = process;
        ClientPort = clientPort;
        Directory = directory;
        MyId = myId;
    }

    public int ClientPort { get; }

    /// <summary>The server's id within an ensemble, or null when standalone.</summary>
    public int? MyId { get; }

    public string Directory { get; }

    public string ConnectString => $"127.0.0.1:{ClientPort}";

    public bool HasExited => _process.HasExited;

    public string LogPath => Path.Combine(Directory, "server.log");

    public static async Task<ZooKeeperServerProcess> StartStandaloneAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        int port = FreePorts.Take(1)[0];
        ZooKeeperServerProcess server = Launch(port, quorum: null, myId: null);
        try
        {
            await server.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a JVM with a zoo.cfg of its own. <paramref name="quorum"/> lines (<c>server.N=...</c>) make it an
    /// ensemble member with id <paramref name="myId"/>.
    /// </summary>
    internal static ZooKeeperServerProcess Launch(int clientPort, IReadOnlyList<string>? quorum, int? myId)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("kafkasharp-zk-").FullName;
        string dataDir = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(dataDir);
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"tickTime={TickTimeMs}")
            .AppendLine("initLimit=10")
            .AppendLine("syncLimit=5")
            .AppendLine(CultureInfo.InvariantCulture, $"dataDir={dataDir}")
            .AppendLine(CultureInfo.InvariantCulture, $"clientPort={clientPort}")
            .AppendLine("clientPortAddress=127.0.0.1")
            .AppendLine("admin.enableServer=false")
            .AppendLine("4lw.commands.whitelist=*")
            .AppendLine("maxClientCnxns=0");
        if (quorum is not null)
        {
            foreach (string line in quorum)
            {
                config.AppendLine(line);
            }

            File.WriteAllText(Path.Combine(dataDir, "myid"), myId!.Value.ToString(CultureInfo.InvariantCulture));
        }

        string configPath = Path.Combine(directory, "zoo.cfg");
        File.WriteAllText(configPath, config.ToString());

        // exec keeps the JVM as the started process (so pause and kill reach it) while the shell sends its output
        // to a file: a pipe nobody drains would block the server once full. Before that, a watchdog loop (left as
        // the JVM's child, so disposal's tree kill ends it) SIGKILLs the JVM ($$, the shell's pid, which exec hands
        // over) if this test host dies without disposing it: a crash, or the hang-timeout kill, runs no exit handler.
        string watchdog = $"(while kill -0 {Environment.ProcessId} && kill -0 $$; do sleep 1; done; " +
            $"kill -0 {Environment.ProcessId} || kill -9 $$) </dev/null >/dev/null 2>&1 & ";
        string java = watchdog + $"exec java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true " +
            $"-cp '{ClassPath}' org.apache.zookeeper.server.quorum.QuorumPeerMain '{configPath}' > '{Path.Combine(directory, "server.log")}' 2>&1";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(java);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start java.");
        lock (s_liveLock)
        {
            s_live.Add(process);
        }

        return new ZooKeeperServerProcess(process, clientPort, directory, myId);
    }

    /// <summary>Polls <c>srvr</c> until the server reports a mode (it serves clients), or fails with the server's log.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ZooKeeper on port {ClientPort} exited with {_process.ExitCode}. Log:\n{ReadLog()}");
            }

            if (await ModeAsync(cancellationToken) is not null)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"ZooKeeper on port {ClientPort} did not serve within {timeout}. Log:\n{ReadLog()}");
    }

    /// <summary>standalone, leader or follower; null while not serving.</summary>
    public Task<string?> ModeAsync(CancellationToken cancellationToken = default) => FourLetterWords.ModeAsync(ClientPort, cancellationToken);

    /// <summary>Freezes the JVM (SIGSTOP): connections stay open but nothing is answered, like a hung server.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws a paused JVM (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Kills the server at once (SIGKILL), as a crash would; its folder stays until disposal.</summary>
    public async Task KillAsync()
    {
        // SIGKILL ends a stopped (paused) process too.
        TryKill(_process);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(deadline.Token);
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string log = reader.ReadToEnd();
            return log.Length > 8000 ? log[^8000..] : log;
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped within the bound; nothing more to do.
        }

        lock (s_liveLock)
        {
            s_live.Remove(_process);
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned eventually anyway.
        }
    }

    private async Task SignalAsync(string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(_process.Id.ToString(CultureInfo.InvariantCulture));
        using Process kill = Process.Start(start) ?? throw new InvalidOperationException("Could not run kill.");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(deadline.Token);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}.");
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string BuildDefaultClassPath()
    {
        // The jar's manifest brings its dependencies; slf4j-simple, when present, turns the server's logging on
        // (to server.log) so a failing test can show what the server saw.
        string classPath = "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar";
        return File.Exists("/usr/share/java/slf4j-simple.jar") ? classPath + ":/usr/share/java/slf4j-simple.jar" : classPath;
    }
}
