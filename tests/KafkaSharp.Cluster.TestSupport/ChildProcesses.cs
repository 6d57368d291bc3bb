using System.Diagnostics;

namespace KafkaSharp.Cluster.TestSupport;

/// <summary>
/// Starts and ends the harness's child processes so none outlives the test run: every child is tracked and killed
/// on dispose and at process exit, and a watchdog (a shell loop polling both PIDs every second) SIGKILLs a broker
/// whose test host died without cleaning up (a crash or a hang-timeout kill). Signals go only to PIDs started here.
/// </summary>
internal static class ChildProcesses
{
    private static readonly Lock s_lock = new();
    private static readonly HashSet<Process> s_live = [];

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (s_lock)
            {
                foreach (Process process in s_live)
                {
                    Kill(process);
                }
            }
        };
    }

    public static Process Start(ProcessStartInfo startInfo)
    {
        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        Track(process);
        return process;
    }

    /// <summary>
    /// A shell that waits while both this test host and <paramref name="child"/> live; if the host went first, it
    /// SIGKILLs the child. Killed (by <see cref="Kill"/>) when the child is ended normally.
    /// </summary>
    public static Process StartWatchdog(Process child)
    {
        int host = Environment.ProcessId;
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c",
                $"while kill -0 {host} 2>/dev/null && kill -0 {child.Id} 2>/dev/null; do sleep 1; done; " +
                $"if ! kill -0 {host} 2>/dev/null; then kill -9 {child.Id} 2>/dev/null; fi",
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Start(startInfo);
    }

    /// <summary>SIGKILL (the process tree), then wait for the exit so ports and files are released.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        finally
        {
            Untrack(process);
        }
    }

    /// <summary>SIGTERM: the server's clean shutdown (controlled shutdown, flush, clean-shutdown marker).</summary>
    public static void Terminate(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit(10_000);
    }

    public static void Untrack(Process process)
    {
        lock (s_lock)
        {
            s_live.Remove(process);
        }
    }

    private static void Track(Process process)
    {
        lock (s_lock)
        {
            s_live.Add(process);
        }
    }
}
