using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Confluent.Kafka;

namespace KafkaSharp.Interop.Clients;

/// <summary>A Confluent.Kafka group member on its own thread: poll, report, commit synchronously after each record.</summary>
internal sealed class ConfluentGroupMember : IGroupMember
{
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly CancellationTokenSource _leave = new();
    private Task _loop = Task.CompletedTask;

    public static ConfluentGroupMember Start(ConsumerConfig config, JsonObject arguments)
    {
        config.GroupId = arguments.Str("group");
        config.EnableAutoCommit = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.SessionTimeoutMs = 6000;
        config.HeartbeatIntervalMs = 500;
        config.FetchWaitMaxMs = 100;
        config.PartitionAssignmentStrategy = arguments["assignor"]?.GetValue<string>() == "roundrobin"
            ? PartitionAssignmentStrategy.RoundRobin
            : PartitionAssignmentStrategy.Range;
        var member = new ConfluentGroupMember();
        member._loop = Task.Factory.StartNew(() => member.Run(config, arguments), TaskCreationOptions.LongRunning);
        return member;
    }

    private void Run(ConsumerConfig config, JsonObject arguments)
    {
        string topic = arguments.Str("topic");
        int stopAfter = arguments.OptionalInt("stop_after") ?? 0;
        try
        {
            using IConsumer<byte[]?, byte[]?> consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
                .SetPartitionsAssignedHandler((_, parts) => Emit("assigned", parts.Select(p => p.Partition.Value)))
                .SetPartitionsRevokedHandler((_, parts) => Emit("revoked", parts.Select(p => p.Partition.Value)))
                .Build();
            consumer.Subscribe(topic);
            int seen = 0;
            while (!_leave.IsCancellationRequested && (stopAfter == 0 || seen < stopAfter))
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } r)
                {
                    JsonObject record = ConfluentClient.Record(r);
                    record["event"] = "record";
                    _events.Writer.TryWrite(record);
                    consumer.Commit(r);
                    seen++;
                }
            }

            consumer.Close();
            _events.Writer.TryWrite(new JsonObject { ["event"] = "closed" });
        }
        catch (KafkaException e)
        {
            _events.Writer.TryWrite(new JsonObject { ["event"] = "error", ["error"] = e.Error.ToString() });
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private void Emit(string kind, IEnumerable<int> partitions) =>
        _events.Writer.TryWrite(new JsonObject { ["event"] = kind, ["partitions"] = Json.Array(partitions.Order(), p => p) });

    public async IAsyncEnumerable<JsonObject> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (JsonObject e in _events.Reader.ReadAllAsync(cancellation))
        {
            if (e["event"]!.GetValue<string>() == "error")
            {
                throw new StepFailedException($"Confluent.Kafka group member: {e["error"]}", null);
            }

            yield return e;
        }
    }

    public Task LeaveAsync()
    {
        _leave.Cancel();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _leave.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _leave.Dispose();
    }
}
