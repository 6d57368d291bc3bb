using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// A group member in a child process: python_client.py or kafkajs_client.js in group-consume mode. It reports its
/// assignment and each processed message as JSON lines; closing its stdin asks it to leave the group cleanly, and
/// <see cref="Kill"/> ends it with SIGKILL, so it never sends LeaveGroup and the coordinator only notices through
/// the session timeout.
/// </summary>
public sealed class ScriptGroupMember : IGroupMember
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _stderr = new();
    private readonly GroupLedger _ledger;
    private readonly Task _stdout;
    private readonly Task _stderrCopy;
    private HashSet<int> _assignment = [];
    private int _changes;

    private ScriptGroupMember(string name, ProcessStartInfo start, GroupLedger ledger)
    {
        Name = name;
        _ledger = ledger;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        _stdout = Task.Run(ReadEventsAsync);
        _stderrCopy = Task.Run(async () =>
        {
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync()) is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(line);
                }
            }
        });
    }

    public string Name { get; }

    /// <summary>A python member: <paramref name="library"/> is "confluent" or "kafka-python".</summary>
    public static ScriptGroupMember Python(string name, string library, string bootstrap, string topic, string group, string strategy, int sessionTimeoutMs, GroupLedger ledger) =>
        new(name, StartInfo(ScriptClients.Python, [Path.Combine(ChildProcess.ClientsDirectory, "python_client.py"), library, "group-consume", bootstrap, topic, group, strategy, sessionTimeoutMs.ToString()]), ledger);

    /// <summary>A kafkajs member with its round-robin assignor under the common name "roundrobin".</summary>
    public static ScriptGroupMember Kafkajs(string name, string bootstrap, string topic, string group, int sessionTimeoutMs, GroupLedger ledger) =>
        new(name, StartInfo("node", [Path.Combine(ChildProcess.ClientsDirectory, "kafkajs_client.js"), "group-consume", bootstrap, topic, group, sessionTimeoutMs.ToString()]), ledger);

    public IReadOnlySet<int> Assignment
    {
        get
        {
            lock (_gate)
            {
                return _assignment.ToHashSet();
            }
        }
    }

    public int AssignmentChanges
    {
        get
        {
            lock (_gate)
            {
                return _changes;
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public string History() => $"{Name}: {AssignmentChanges} assignment changes; stderr: {Stderr}";

    /// <summary>Closes stdin (the script leaves the group and exits) and checks it exited cleanly.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);
            await Task.WhenAll(_stdout, _stderrCopy).WaitAsync(Eventually.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not exit after its stdin closed; stderr:\n{Stderr}");
        }

        Assert.True(_process.ExitCode == 0, $"{Name} exited with {_process.ExitCode}; stderr:\n{Stderr}");
    }

    /// <summary>SIGKILL: no LeaveGroup, no final commit, the TCP connections just drop.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ProcessStartInfo StartInfo(string fileName, string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ChildProcess.ClientsDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private async Task ReadEventsAsync()
    {
        string? line;
        while ((line = await _process.StandardOutput.ReadLineAsync()) is not null)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            switch (e.GetProperty("event").GetString())
            {
                case "assignment":
                    lock (_gate)
                    {
                        _assignment = [.. e.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32())];
                        _changes++;
                    }

                    break;
                case "record":
                    _ledger.Add(new Delivery(Name, e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64(),
                        Encoding.UTF8.GetString(Convert.FromHexString(e.GetProperty("value").GetString()!))));
                    break;
                default:
                    lock (_gate)
                    {
                        _stderr.AppendLine(line);
                    }

                    break;
            }
        }
    }
}
