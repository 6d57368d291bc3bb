using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>
/// One cell on one target: a producer sends as fast as librdkafka's queue allows for the duration (as
/// kafka-producer-perf-test --throughput -1), while an assigned consumer reads every partition from offset 0.
/// Each value starts with the Stopwatch timestamp of its send, so delivery-report latency and end-to-end latency
/// (send to receive) come from the same clock.
/// </summary>
internal static class Workload
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(60);

    public static async Task<CellResult> RunAsync(ITarget target, Cell cell, TimeSpan duration)
    {
        string topic = $"load-{cell.RecordSize}-{cell.AcksText}-{cell.Partitions}-{Guid.NewGuid():N}";
        await target.CreateTopicAsync(topic, cell.Partitions);

        using var consuming = new CancellationTokenSource();
        bool produced = false;
        var endToEnd = new LatencyRecorder(1 << 20);
        Task consumer = Task.Factory.StartNew(
            () => Consume(target.BootstrapServers, topic, cell.Partitions, endToEnd, () => Volatile.Read(ref produced), consuming.Token),
            TaskCreationOptions.LongRunning);

        var produce = new LatencyRecorder(1 << 20);
        long delivered = 0;
        long failed = 0;
        var config = new ProducerConfig
        {
            BootstrapServers = target.BootstrapServers,
            Acks = cell.Acks,
            LingerMs = 5,
            BrokerAddressFamily = BrokerAddressFamily.V4,
        };
        Stopwatch elapsed;
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            // Warm-up: metadata and connections before the clock starts.
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = Stamped(cell.RecordSize) });
            Action<DeliveryReport<byte[], byte[]>> onDelivery = report =>
            {
                // Handlers run on the background poll thread and, during Flush, on the flushing thread too.
                long latency = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(report.Message.Value);
                lock (produce)
                {
                    if (report.Error.IsError)
                    {
                        failed++;
                        return;
                    }

                    produce.Add(latency);
                    delivered++;
                }
            };

            elapsed = Stopwatch.StartNew();
            long sent = 0;
            while (elapsed.Elapsed < duration)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Value = Stamped(cell.RecordSize) }, onDelivery);
                    sent++;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    Thread.Sleep(1);
                }
            }

            producer.Flush(s_drainTimeout);
            // Flush returns once librdkafka's queue is empty; the last delivery handlers may still be running.
            var draining = Stopwatch.StartNew();
            while (Interlocked.Read(ref delivered) + Interlocked.Read(ref failed) < sent && draining.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(1);
            }

            elapsed.Stop();
            if (Interlocked.Read(ref failed) > 0 || Interlocked.Read(ref delivered) != sent)
            {
                throw new InvalidOperationException($"{target.Name} {cell}: {failed} failed, {delivered} of {sent} delivered.");
            }

            Volatile.Write(ref produced, true);
        }

        await consumer.WaitAsync(s_drainTimeout);
        (long consumed, double consumeSeconds) = ConsumeAll(target.BootstrapServers, topic, cell.Partitions);
        return new CellResult(cell, target.Name, delivered, elapsed.Elapsed.TotalSeconds, produce.Summarise(), endToEnd.Summarise(), endToEnd.Count, consumed, consumeSeconds);
    }

    /// <summary>
    /// The consume-only phase (as kafka-consumer-perf-test): a fresh consumer reads every partition from its start to
    /// its end. The clock starts at the first record, so connection and metadata set-up are not counted. On the mock
    /// cluster the start is whatever it still retains.
    /// </summary>
    private static (long Records, double Seconds) ConsumeAll(string bootstrap, string topic, int partitions)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "kafkasharp-load-assign-only",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            BrokerAddressFamily = BrokerAddressFamily.V4,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var atEnd = new HashSet<int>();
        var deadline = Stopwatch.StartNew();
        Stopwatch? clock = null;
        long records = 0;
        while (atEnd.Count < partitions)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The consume-only phase read {records} records and did not reach the end.");
            }

            ConsumeResult<byte[], byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            clock ??= Stopwatch.StartNew();
            records++;
        }

        consumer.Close();
        return (records, clock?.Elapsed.TotalSeconds ?? 0);
    }

    /// <summary>
    /// Reads until the producer is done and every partition is at its end. The mock cluster keeps only a few MB
    /// per partition, so a consumer that falls behind it is reset to the end and skips records: end-to-end
    /// latency is over the records received, and the report says how many that was.
    /// </summary>
    private static void Consume(string bootstrap, string topic, int partitions, LatencyRecorder endToEnd, Func<bool> produced, CancellationToken cancel)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "kafkasharp-load-assign-only",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            BrokerAddressFamily = BrokerAddressFamily.V4,
            FetchWaitMaxMs = 100,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Latest,
        };
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)));
        var atEnd = new HashSet<int>();
        var deadline = Stopwatch.StartNew();
        while (!(produced() && atEnd.Count == partitions) && !cancel.IsCancellationRequested)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The consumer read {endToEnd.Count} records and did not reach the end.");
            }

            ConsumeResult<byte[], byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            atEnd.Remove(result.Partition.Value);
            endToEnd.Add(Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(result.Message.Value));
        }

        consumer.Close();
    }

    private static byte[] Stamped(int size)
    {
        byte[] value = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
        return value;
    }
}
