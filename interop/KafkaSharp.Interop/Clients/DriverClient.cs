using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Clients;

/// <summary>A client behind a driver script (python_driver.py, node_driver.mjs): one process per step.</summary>
public sealed class DriverClient : IInteropClient
{
    private readonly string _fileName;
    private readonly string[] _arguments;
    private readonly string _bootstrap;

    private DriverClient(string name, string fileName, string[] arguments, string bootstrap)
    {
        Name = name;
        _fileName = fileName;
        _arguments = arguments;
        _bootstrap = bootstrap;
    }

    public string Name { get; }

    /// <summary>Debian's interpreter: python3-confluent-kafka and python3-kafka are installed for it.</summary>
    public const string Python = "/usr/bin/python3";

    public static DriverClient ConfluentPython(string bootstrap) =>
        new("confluent-kafka-python", Python, [Path.Combine(InteropPaths.Drivers, "python_driver.py"), "confluent"], bootstrap);

    public static DriverClient KafkaPython(string bootstrap) =>
        new("kafka-python", Python, [Path.Combine(InteropPaths.Drivers, "python_driver.py"), "kafka-python"], bootstrap);

    public static DriverClient Kafkajs(string bootstrap) =>
        new("kafkajs", "node", [Path.Combine(InteropPaths.Drivers, "node_driver.mjs"), "kafkajs"], bootstrap);

    public static DriverClient Platformatic(string bootstrap) =>
        new("platformatic-kafka", "node", [Path.Combine(InteropPaths.Drivers, "node_driver.mjs"), "platformatic"], bootstrap);

    public async Task<JsonObject> StepAsync(string step, JsonObject arguments, CancellationToken cancellation)
    {
        await using DriverProcess process = DriverProcess.Start(_fileName, _arguments, InteropPaths.Root, Request(step, arguments));
        JsonObject? answer = await process.ReadAnswerAsync(cancellation);
        return DriverProtocol.Unwrap(Name, step, answer, $"stderr: {Tail(process.Stderr)}");
    }

    public Task<IGroupMember> JoinGroupAsync(JsonObject arguments, CancellationToken cancellation)
    {
        DriverProcess process = DriverProcess.Start(_fileName, _arguments, InteropPaths.Root, Request("group_member", arguments));
        return Task.FromResult<IGroupMember>(new Member(Name, process));
    }

    private JsonObject Request(string step, JsonObject arguments)
    {
        var request = (JsonObject)arguments.DeepClone();
        request["step"] = step;
        request["bootstrap"] = _bootstrap;
        return request;
    }

    internal static string Tail(string text) => text.Length <= 1500 ? text : text[^1500..];

    private sealed class Member(string clientName, DriverProcess process) : IGroupMember
    {
        public async IAsyncEnumerable<JsonObject> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellation)
        {
            await foreach (JsonObject line in process.ReadLinesAsync(cancellation))
            {
                if (line["event"] is null)
                {
                    // A one-line answer instead of events: the member could not start.
                    DriverProtocol.Unwrap(clientName, "group_member", line, $"stderr: {Tail(process.Stderr)}");
                    continue;
                }

                yield return line;
            }
        }

        public Task LeaveAsync() => process.SendAsync(new JsonObject { ["command"] = "leave" });

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
