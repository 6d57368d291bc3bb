using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Clients;

/// <summary>
/// A driver child process speaking JSON lines: one request line in, answer or event lines out. Disposing kills the
/// whole process tree if it is still running, so no client ever outlives its scenario.
/// </summary>
internal sealed class DriverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private DriverProcess(Process process)
    {
        _process = process;
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    // Bounded: librdkafka can be chatty, and only the tail explains a failure.
                    if (_stderr.Length > 16_000)
                    {
                        _stderr.Remove(0, 8_000);
                    }

                    _stderr.AppendLine(line);
                }
            }
        });
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static DriverProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, JsonObject request)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var driver = new DriverProcess(process);
        process.StandardInput.WriteLine(request.ToJsonString());
        process.StandardInput.Flush();
        return driver;
    }

    public async Task SendAsync(JsonObject command)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(command.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // The driver already exited; its last lines say why.
        }
    }

    public async IAsyncEnumerable<JsonObject> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        while (await _process.StandardOutput.ReadLineAsync(cancellation) is { } line)
        {
            if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject obj)
            {
                yield return obj;
            }
        }
    }

    /// <summary>The single answer of a one-step invocation, after the process exits.</summary>
    public async Task<JsonObject?> ReadAnswerAsync(CancellationToken cancellation)
    {
        JsonObject? last = null;
        await foreach (JsonObject line in ReadLinesAsync(cancellation))
        {
            last = line;
        }

        await _process.WaitForExitAsync(cancellation);
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or stuck in the kernel: nothing more to do from here.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
