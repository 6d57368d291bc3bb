using System.Text;
using Confluent.Kafka;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// A Confluent.Kafka consumer subscribed as a group member on its own thread: it records every assignment change
/// its rebalance callbacks see and, for each message, commits the offset synchronously and then records the
/// message in the group's <see cref="GroupLedger"/> (process, commit, next: the at-least-once loop that yields
/// exactly-once delivery when rebalances hand partitions over cleanly).
/// </summary>
public sealed class ConfluentGroupMember : IGroupMember
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _assignment = [];
    private readonly List<(string Kind, int[] Partitions)> _events = [];
    private readonly List<string> _errors = [];
    private readonly GroupLedger _ledger;
    private readonly Task _loop;
    private volatile bool _stop;

    private ConfluentGroupMember(string name, ConsumerConfig config, string topic, GroupLedger ledger)
    {
        Name = name;
        _ledger = ledger;
        _loop = Task.Factory.StartNew(() => Run(config, topic), TaskCreationOptions.LongRunning);
    }

    public string Name { get; }

    public static ConsumerConfig Config(string bootstrap, string group, PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range,
        int sessionTimeoutMs = 3000, string? instanceId = null) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        GroupInstanceId = instanceId,
        PartitionAssignmentStrategy = strategy,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = sessionTimeoutMs,
        // Frequent heartbeats: members learn of a rebalance within 100 ms instead of librdkafka's 3 s.
        HeartbeatIntervalMs = 100,
        // The rebalance timeout librdkafka sends in JoinGroup: how long the coordinator waits for members to rejoin
        // (librdkafka refuses one shorter than the session timeout).
        MaxPollIntervalMs = Math.Max(10_000, sessionTimeoutMs),
        BrokerAddressFamily = BrokerAddressFamily.V4,
    };

    public static ConfluentGroupMember Start(string name, ConsumerConfig config, string topic, GroupLedger ledger) => new(name, config, topic, ledger);

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
                return _events.Count;
            }
        }
    }

    /// <summary>Every rebalance callback: "assigned", "revoked" or "lost" with the partitions it named.</summary>
    public IReadOnlyList<(string Kind, int[] Partitions)> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Failed commits and consume errors, for failure messages.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>The rebalance callbacks and errors, for failure messages.</summary>
    public string History() =>
        $"{Name}: {string.Join(" ", Events.Select(e => $"{e.Kind}[{string.Join(",", e.Partitions)}]"))}; errors: {string.Join("; ", Errors)}";

    /// <summary>Stops consuming and closes the consumer: it revokes its partitions and sends LeaveGroup.</summary>
    public async Task StopAsync()
    {
        _stop = true;
        await _loop.WaitAsync(Eventually.DefaultTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        _stop = true;
        try
        {
            await _loop.WaitAsync(Eventually.DefaultTimeout);
        }
        catch (Exception) when (_loop.IsFaulted)
        {
            // Reported by the test that awaited StopAsync; disposal must not hide the test's own failure.
        }
    }

    private void Run(ConsumerConfig config, string topic)
    {
        try
        {
            Consume(config, topic);
        }
        catch (Exception e)
        {
            Record($"the consumer thread failed: {e}");
            throw;
        }
    }

    private void Consume(ConsumerConfig config, string topic)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => Change("assigned", partitions, add: true))
            .SetPartitionsRevokedHandler((_, partitions) => Change("revoked", [.. partitions.Select(p => p.TopicPartition)], add: false))
            .SetPartitionsLostHandler((_, partitions) => Change("lost", [.. partitions.Select(p => p.TopicPartition)], add: false))
            .SetErrorHandler((_, error) => Record($"error {error}"))
            .Build();
        consumer.Subscribe(topic);
        while (!_stop)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            catch (ConsumeException e)
            {
                Record($"consume {e.Error}");
                continue;
            }

            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            try
            {
                consumer.Commit(result);
            }
            catch (KafkaException e)
            {
                Record($"commit of {result.TopicPartitionOffset} failed: {e.Error}");
            }

            _ledger.Add(new Delivery(Name, result.Partition.Value, result.Offset.Value, Encoding.UTF8.GetString(result.Message.Value)));
        }

        consumer.Close();
    }

    private void Change(string kind, List<TopicPartition> partitions, bool add)
    {
        lock (_gate)
        {
            foreach (TopicPartition p in partitions)
            {
                if (add)
                {
                    _assignment.Add(p.Partition.Value);
                }
                else
                {
                    _assignment.Remove(p.Partition.Value);
                }
            }

            _events.Add((kind, [.. partitions.Select(p => p.Partition.Value).Order()]));
        }
    }

    private void Record(string error)
    {
        lock (_gate)
        {
            _errors.Add(error);
        }
    }
}
