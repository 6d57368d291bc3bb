namespace KafkaSharp.Integration.Tests.Support;

/// <summary>The python and node scripts in tests/clients, run as child processes with bounded time.</summary>
public static class ScriptClients
{
    /// <summary>Debian's interpreter: python3-confluent-kafka and python3-kafka are installed for it.</summary>
    public const string Python = "/usr/bin/python3";

    public static Task<ProcessResult> PythonAsync(params string[] args) =>
        ChildProcess.RunAsync(Python, [Path.Combine(ChildProcess.ClientsDirectory, "python_client.py"), .. args]);

    public static Task<ProcessResult> KafkajsAsync(params string[] args) =>
        ChildProcess.RunAsync("node", [Path.Combine(ChildProcess.ClientsDirectory, "kafkajs_client.js"), .. args],
            workingDirectory: ChildProcess.ClientsDirectory);

    public static Task<ProcessResult> KcatAsync(string[] args, byte[]? stdin = null) => ChildProcess.RunAsync("kcat", args, stdin);

    public static void AssertSucceeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
