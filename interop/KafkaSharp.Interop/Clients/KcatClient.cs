using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace KafkaSharp.Interop.Clients;

/// <summary>
/// kcat 1.7 (librdkafka) invoked directly: -L, -P, -C, -Q and -G. It has no admin commands, and its producer
/// cannot set record timestamps; both are reported as such.
/// </summary>
public sealed partial class KcatClient(string bootstrap) : IInteropClient
{
    /// <summary>One record per block: a text line of fields, then the raw key and value bytes (lengths given), then \n.</summary>
    private const string Format = "@@%p|%o|%T|%K|%S|%h\n%k%s\n";

    public string Name => "kcat";

    public async Task<JsonObject> StepAsync(string step, JsonObject arguments, CancellationToken cancellation) => step switch
    {
        "metadata" => await MetadataAsync(arguments, cancellation),
        "produce" => await ProduceAsync(arguments, cancellation),
        "consume" => await ConsumeAsync(arguments, cancellation),
        "offset_for_time" => new JsonObject { ["offset"] = await QueryAsync(arguments, arguments.Long("timestamp"), cancellation) },
        "watermarks" => new JsonObject
        {
            ["low"] = await QueryAsync(arguments, -2, cancellation),
            ["high"] = await QueryAsync(arguments, -1, cancellation),
        },
        "create_topic" or "delete_topic" or "describe_configs" or "delete_records" or "list_groups" or "describe_group" or "group_offsets" =>
            throw new StepUnsupportedException("kcat has no admin commands"),
        _ => throw new StepUnsupportedException($"no step {step}"),
    };

    /// <summary>kcat -G commits automatically (every 100 ms here, and on close), not after each record.</summary>
    public Task<IGroupMember> JoinGroupAsync(JsonObject arguments, CancellationToken cancellation) =>
        Task.FromResult<IGroupMember>(GroupMember.Start(bootstrap, arguments, arguments.OptionalInt("stop_after")));

    private async Task<(byte[] Stdout, string Stderr)> RunAsync(IEnumerable<string> args, byte[]? stdin, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-b");
        start.ArgumentList.Add(bootstrap);
        start.ArgumentList.Add("-X");
        start.ArgumentList.Add("broker.address.family=v4");
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start");
        using var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellation);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellation);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, cancellation);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellation);
            await Task.WhenAll(copy, stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        if (process.ExitCode != 0)
        {
            throw new StepFailedException($"kcat {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {DriverClient.Tail(await stderr)}", null);
        }

        return (stdout.ToArray(), await stderr);
    }

    private async Task<JsonObject> MetadataAsync(JsonObject arguments, CancellationToken cancellation)
    {
        var args = new List<string> { "-L", "-J", "-m", "20" };
        if (arguments["topics"] is JsonArray { Count: 1 } one)
        {
            args.AddRange(["-t", one[0]!.GetValue<string>()]);
        }

        (byte[] stdout, _) = await RunAsync(args, null, cancellation);
        JsonObject md = JsonNode.Parse(stdout)!.AsObject();
        return new JsonObject
        {
            ["brokers"] = Json.Array(md["brokers"]!.AsArray(), b =>
            {
                string name = b!["name"]!.GetValue<string>();
                int colon = name.LastIndexOf(':');
                return new JsonObject { ["id"] = b["id"]!.GetValue<int>(), ["host"] = name[..colon], ["port"] = int.Parse(name[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture) };
            }),
            ["controller"] = md["controllerid"]?.GetValue<int>(),
            ["cluster_id"] = null,
            ["topics"] = Json.Array(md["topics"]!.AsArray(), t => new JsonObject
            {
                ["name"] = t!["topic"]!.GetValue<string>(),
                ["error"] = t["error"]?.GetValue<string>(),
                ["partitions"] = Json.Array(t["partitions"]!.AsArray(), p => new JsonObject
                {
                    ["partition"] = p!["partition"]!.GetValue<int>(),
                    ["leader"] = p["leader"]!.GetValue<int>(),
                    ["replicas"] = Json.Array(p["replicas"]!.AsArray(), r => r!["id"]!.GetValue<int>()),
                }),
            }),
        };
    }

    private async Task<JsonObject> ProduceAsync(JsonObject arguments, CancellationToken cancellation)
    {
        string topic = arguments.Str("topic");
        string codec = arguments["codec"]?.GetValue<string>() ?? "none";
        var results = new JsonArray();
        foreach (JsonObject m in arguments["messages"]!.AsArray().Cast<JsonObject>())
        {
            byte[]? key = Json.Unhex(m["key"]);
            byte[]? value = Json.Unhex(m["value"]);
            // One invocation per message: -p and -H apply to a whole invocation; the delimiters are letters that
            // cannot occur in the canonical test data's binary parts, checked below.
            var args = new List<string> { "-P", "-t", topic, "-D", "QZQZ", "-X", $"compression.codec={codec}", "-X", "message.max.bytes=4194304" };
            if (m.OptionalInt("partition") is int p)
            {
                args.AddRange(["-p", p.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            foreach (JsonArray h in m["headers"]?.AsArray().Cast<JsonArray>() ?? [])
            {
                args.AddRange(["-H", $"{h[0]!.GetValue<string>()}={Encoding.UTF8.GetString(Json.Unhex(h[1]) ?? [])}"]);
            }

            var input = new MemoryStream();
            if (key is not null)
            {
                args.AddRange(["-K", "KZKZ"]);
                input.Write(key);
                input.Write("KZKZ"u8);
            }

            if (value is null)
            {
                args.Add("-Z");
            }
            else
            {
                input.Write(value);
            }

            if (input.ToArray().AsSpan().IndexOf("QZQZ"u8) >= 0 || (key?.AsSpan().IndexOf("KZKZ"u8) ?? -1) >= 0)
            {
                throw new StepUnsupportedException("the record contains kcat's delimiter");
            }

            await RunAsync(args, input.ToArray(), cancellation);
            results.Add(new JsonObject { ["partition"] = m.OptionalInt("partition"), ["offset"] = null, ["timestamp"] = null });
        }

        // kcat's producer cannot set record timestamps: the records carry the producer's clock instead.
        return new JsonObject { ["results"] = results, ["timestamps_set"] = false };
    }

    private async Task<JsonObject> ConsumeAsync(JsonObject arguments, CancellationToken cancellation)
    {
        int count = arguments.Int("count");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(arguments.OptionalInt("timeout_ms") ?? 20_000);
        var args = new List<string>
        {
            "-C", "-t", arguments.Str("topic"), "-p", arguments.Int("partition").ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", arguments.Long("offset").ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", Format, "-X", $"fetch.wait.max.ms={arguments.OptionalInt("max_wait_ms") ?? 500}", "-X", "fetch.message.max.bytes=4194304",
        };
        try
        {
            (byte[] stdout, _) = await RunAsync(args, null, timeout.Token);
            return new JsonObject { ["records"] = Parse(stdout) };
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // Fewer than count records arrived in time: what was read is lost with the killed process.
            return new JsonObject { ["records"] = new JsonArray() };
        }
    }

    internal static JsonArray Parse(ReadOnlySpan<byte> output)
    {
        var records = new JsonArray();
        while (output.Length > 2 && output.StartsWith("@@"u8))
        {
            int eol = output.IndexOf((byte)'\n');
            string[] f = Encoding.UTF8.GetString(output[2..eol]).Split('|', 6);
            int keyLength = int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture);
            int valueLength = int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture);
            ReadOnlySpan<byte> rest = output[(eol + 1)..];
            int k = Math.Max(keyLength, 0), v = Math.Max(valueLength, 0);
            records.Add(new JsonObject
            {
                ["partition"] = int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture),
                ["offset"] = long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture),
                ["key"] = Json.Hex(rest[..k], keyLength < 0),
                ["value"] = Json.Hex(rest.Slice(k, v), valueLength < 0),
                ["headers"] = Headers(f[5]),
                ["timestamp"] = long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            });
            output = rest[(k + v + 1)..];
        }

        return records;
    }

    private static JsonArray Headers(string csv) => csv.Length == 0
        ? []
        : Json.Array(csv.Split(','), h =>
        {
            int eq = h.IndexOf('=', StringComparison.Ordinal);
            return new JsonArray(h[..eq], Convert.ToHexStringLower(Encoding.UTF8.GetBytes(h[(eq + 1)..])));
        });

    private async Task<long> QueryAsync(JsonObject arguments, long timestamp, CancellationToken cancellation)
    {
        string topic = arguments.Str("topic");
        int partition = arguments.Int("partition");
        (byte[] stdout, _) = await RunAsync(["-Q", "-J", "-t", FormattableString.Invariant($"{topic}:{partition}:{timestamp}")], null, cancellation);
        JsonNode answer = JsonNode.Parse(stdout)![topic]![partition.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
        if (answer["error"] is JsonNode error)
        {
            throw new StepFailedException($"kcat -Q: {error}", null);
        }

        return answer["offset"]!.GetValue<long>();
    }

    /// <summary>
    /// kcat -G: records on stdout in <see cref="Format"/> (-u: unbuffered, or they sit in stdio's buffer), and
    /// "assigned:"/"revoked:" rebalance lines on stderr.
    /// </summary>
    private sealed partial class GroupMember : IGroupMember
    {
        private readonly Process _process;
        private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
        private readonly Task _pumps;

        private GroupMember(Process process)
        {
            _process = process;
            _pumps = Task.WhenAll(Task.Run(PumpStdoutAsync), Task.Run(PumpStderrAsync))
                .ContinueWith(_ =>
                {
                    _events.Writer.TryWrite(new JsonObject { ["event"] = "closed" });
                    _events.Writer.TryComplete();
                }, TaskScheduler.Default);
        }

        public static GroupMember Start(string bootstrap, JsonObject arguments, int? stopAfter)
        {
            var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            string[] args =
            [
                "-b", bootstrap, "-X", "broker.address.family=v4", "-G", arguments.Str("group"), "-f", Format, "-u",
                "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
                "-X", "auto.commit.interval.ms=100", "-X", "fetch.wait.max.ms=100",
                "-X", $"partition.assignment.strategy={(arguments["assignor"]?.GetValue<string>() == "roundrobin" ? "roundrobin" : "range")}",
            ];
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }

            if (stopAfter is int n)
            {
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            start.ArgumentList.Add(arguments.Str("topic"));
            return new GroupMember(Process.Start(start) ?? throw new InvalidOperationException("kcat did not start"));
        }

        private async Task PumpStdoutAsync()
        {
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await _process.StandardOutput.BaseStream.ReadAsync(chunk)) > 0)
            {
                buffer.Write(chunk, 0, n);
                byte[] all = buffer.ToArray();
                int complete = CompleteLength(all);
                JsonArray parsed = Parse(all.AsSpan(0, complete));
                while (parsed.Count > 0)
                {
                    JsonObject record = parsed[0]!.AsObject();
                    parsed.RemoveAt(0);
                    record["event"] = "record";
                    _events.Writer.TryWrite(record);
                }

                buffer = new MemoryStream();
                buffer.Write(all, complete, all.Length - complete);
            }
        }

        /// <summary>How many leading bytes of the output are whole records.</summary>
        private static int CompleteLength(byte[] all)
        {
            int pos = 0;
            while (true)
            {
                int eol = Array.IndexOf(all, (byte)'\n', pos);
                if (eol < 0)
                {
                    return pos;
                }

                string[] f = Encoding.UTF8.GetString(all, pos + 2, eol - pos - 2).Split('|', 6);
                int end = eol + 1 + Math.Max(int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), 0)
                    + Math.Max(int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture), 0) + 1;
                if (end > all.Length)
                {
                    return pos;
                }

                pos = end;
            }
        }

        private async Task PumpStderrAsync()
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                Match m = Rebalance().Match(line);
                if (m.Success)
                {
                    var partitions = PartitionRef().Matches(m.Groups[2].Value).Select(p => int.Parse(p.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order();
                    _events.Writer.TryWrite(new JsonObject { ["event"] = m.Groups[1].Value, ["partitions"] = Json.Array(partitions, p => p) });
                }
            }
        }

        [GeneratedRegex(@"rebalanced.*?: (assigned|revoked): ?(.*)$")]
        private static partial Regex Rebalance();

        [GeneratedRegex(@"\[(\d+)\]")]
        private static partial Regex PartitionRef();

        public async IAsyncEnumerable<JsonObject> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellation)
        {
            await foreach (JsonObject e in _events.Reader.ReadAllAsync(cancellation))
            {
                yield return e;
            }
        }

        /// <summary>SIGTERM: kcat closes its consumer (commit, LeaveGroup) and exits.</summary>
        public async Task LeaveAsync()
        {
            if (!_process.HasExited)
            {
                using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                await _pumps.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Already gone.
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
