using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>What the groups mode measured on one target. Times in milliseconds (median of the trials).</summary>
internal sealed record GroupResult(string Target, int Members, int Partitions, double JoinMs, double LeaveMs, double SyncCommitsPerSecond, double AsyncCommitsPerSecond);

/// <summary>
/// The consumer-group workload: how long a group takes to settle, and how many offset commits a coordinator
/// completes per second.
/// <list type="bullet">
/// <item>Join: <c>members</c> Confluent.Kafka consumers subscribe at once to a topic with <c>partitions</c>
/// partitions; the clock runs from the first Subscribe until every member holds its final assignment (together
/// all partitions, each exactly once, every member some): group Stable.</item>
/// <item>Leave: one member closes (LeaveGroup); the clock runs until the others hold all partitions again.</item>
/// <item>Commits: one member commits a new offset for its partition in a loop, synchronously (one OffsetCommit
/// round trip at a time, as <c>Commit()</c> after each message) and asynchronously (rd_kafka_commit with async=1,
/// up to 256 outstanding, completions counted from the offset-commit callback).</item>
/// </list>
/// Members heartbeat every 100 ms on both targets, so they learn of a rebalance at the same pace.
/// </summary>
internal static class GroupWorkload
{
    private const int AsyncWindow = 256;
    private static readonly TimeSpan s_settleTimeout = TimeSpan.FromSeconds(90);

    public static async Task<GroupResult> RunAsync(ITarget target, int members, int partitions, int trials, TimeSpan duration)
    {
        var joins = new List<double>();
        var leaves = new List<double>();
        for (int trial = 0; trial < trials; trial++)
        {
            (double join, double leave) = await MeasureRebalanceAsync(target, members, partitions);
            joins.Add(join);
            leaves.Add(leave);
        }

        double sync = await MeasureCommitsAsync(target, duration, asynchronous: false);
        double async = await MeasureCommitsAsync(target, duration, asynchronous: true);
        return new GroupResult(target.Name, members, partitions, Median(joins), Median(leaves), sync, async);
    }

    private static async Task<(double JoinMs, double LeaveMs)> MeasureRebalanceAsync(ITarget target, int count, int partitions)
    {
        string topic = $"groups-{partitions}-{Guid.NewGuid():N}";
        string group = $"groups-bench-{Guid.NewGuid():N}";
        await target.CreateTopicAsync(topic, partitions);
        var members = new List<BenchMember>();
        try
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                members.Add(new BenchMember(Config(target.BootstrapServers, group), topic));
            }

            await WaitSettledAsync(members, partitions);
            double join = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            await members[^1].CloseAsync();
            members.RemoveAt(members.Count - 1);
            await WaitSettledAsync(members, partitions);
            return (join, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            await Task.WhenAll(members.Select(m => m.CloseAsync()));
        }
    }

    /// <summary>Every member owns some partitions and together they own each partition exactly once.</summary>
    private static async Task WaitSettledAsync(List<BenchMember> members, int partitions)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            int[][] owned = [.. members.Select(m => m.Assignment)];
            if (owned.All(o => o.Length > 0) && owned.Sum(o => o.Length) == partitions && owned.SelectMany(o => o).Distinct().Count() == partitions)
            {
                return;
            }

            if (waited.Elapsed > s_settleTimeout)
            {
                throw new TimeoutException($"The group did not settle within {s_settleTimeout}: {string.Join(", ", owned.Select(o => o.Length))} partitions per member.");
            }

            foreach (BenchMember m in members)
            {
                m.ThrowIfFailed();
            }

            await Task.Delay(1);
        }
    }

    private static async Task<double> MeasureCommitsAsync(ITarget target, TimeSpan duration, bool asynchronous)
    {
        string topic = $"commits-{Guid.NewGuid():N}";
        await target.CreateTopicAsync(topic, 1);
        long completed = 0;
        long failed = 0;
        string? firstError = null;
        ConsumerBuilder<byte[], byte[]> builder = new ConsumerBuilder<byte[], byte[]>(Config(target.BootstrapServers, $"commits-bench-{Guid.NewGuid():N}"))
            .SetOffsetsCommittedHandler((_, committed) =>
            {
                if (committed.Error.IsError || committed.Offsets.Any(o => o.Error.IsError))
                {
                    failed++;
                    firstError ??= committed.Error.IsError ? committed.Error.ToString() : committed.Offsets.First(o => o.Error.IsError).Error.ToString();
                }
                else
                {
                    completed++;
                }
            });
        using IConsumer<byte[], byte[]> consumer = builder.Build();
        consumer.Subscribe(topic);
        var waited = Stopwatch.StartNew();
        while (consumer.Assignment.Count == 0)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(10));
            if (waited.Elapsed > s_settleTimeout)
            {
                throw new TimeoutException($"{target.Name}: the committing consumer got no assignment.");
            }
        }

        var partition = new TopicPartition(topic, 0);
        IntPtr handle = RdKafka.NativeHandle(consumer);
        IntPtr list = RdKafka.PartitionListNew(1);
        IntPtr entry = RdKafka.PartitionListAdd(list, topic, 0);
        long issued = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < duration)
            {
                issued++;
                if (!asynchronous)
                {
                    consumer.Commit([new TopicPartitionOffset(partition, issued)]);
                    continue;
                }

                Marshal.WriteInt64(entry, RdKafka.PartitionOffsetField, issued);
                int error = RdKafka.Commit(handle, list, 1);
                if (error != 0)
                {
                    throw new InvalidOperationException($"{target.Name}: rd_kafka_commit failed with {error}.");
                }

                // The callbacks run inside Consume; keep at most AsyncWindow commits outstanding.
                consumer.Consume(TimeSpan.Zero);
                while (issued - completed - failed >= AsyncWindow)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(1));
                }
            }

            while (asynchronous && completed + failed < issued && clock.Elapsed < duration + s_settleTimeout)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(1));
            }

            clock.Stop();
        }
        finally
        {
            RdKafka.PartitionListDestroy(list);
        }

        if (asynchronous && (failed > 0 || completed != issued))
        {
            throw new InvalidOperationException($"{target.Name}: {failed} async commits failed (first: {firstError}), {completed} of {issued} completed.");
        }

        consumer.Close();
        return issued / clock.Elapsed.TotalSeconds;
    }

    private static ConsumerConfig Config(string bootstrap, string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        SessionTimeoutMs = 10_000,
        HeartbeatIntervalMs = 100,
        MaxPollIntervalMs = 30_000,
        BrokerAddressFamily = BrokerAddressFamily.V4,
    };

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>A subscribed consumer polling on its own thread, exposing what it owns.</summary>
    private sealed class BenchMember
    {
        private readonly Task _loop;
        private volatile int[] _assignment = [];
        private volatile bool _stop;

        public BenchMember(ConsumerConfig config, string topic) =>
            _loop = Task.Factory.StartNew(() => Run(config, topic), TaskCreationOptions.LongRunning);

        public int[] Assignment => _assignment;

        public void ThrowIfFailed()
        {
            if (_loop.IsFaulted)
            {
                _loop.GetAwaiter().GetResult();
            }
        }

        public async Task CloseAsync()
        {
            _stop = true;
            await _loop.WaitAsync(s_settleTimeout);
        }

        private void Run(ConsumerConfig config, string topic)
        {
            using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config)
                .SetPartitionsAssignedHandler((_, partitions) => _assignment = [.. partitions.Select(p => p.Partition.Value)])
                .SetPartitionsRevokedHandler((_, _) => _assignment = [])
                .SetPartitionsLostHandler((_, _) => _assignment = [])
                .Build();
            consumer.Subscribe(topic);
            while (!_stop)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(20));
            }

            consumer.Close();
        }
    }
}
