using Confluent.Kafka;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// A Confluent.Kafka producer sending one acks=all message at a time in the background, remembering every
/// acknowledged offset and value: the "other client" that must not notice what happens on other connections.
/// </summary>
public sealed class ContinuousProducer : IAsyncDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(long Offset, byte[] Value)> _acked = [];
    private readonly List<string> _failures = [];
    private readonly Task _loop;

    private ContinuousProducer(string bootstrap, string topic)
    {
        _producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(bootstrap)).Build();
        _topic = topic;
        _loop = Task.Run(RunAsync);
    }

    public static ContinuousProducer Start(string bootstrap, string topic) => new(bootstrap, topic);

    public int AckedCount
    {
        get
        {
            lock (_gate)
            {
                return _acked.Count;
            }
        }
    }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were acknowledged in total.</summary>
    public async Task WaitForAcksAsync(int count)
    {
        using var deadline = new CancellationTokenSource(Clients.Timeout);
        while (AckedCount < count)
        {
            if (_loop.IsCompleted)
            {
                await _loop;
            }

            try
            {
                await Task.Delay(10, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Only {AckedCount} of {count} messages acknowledged; failures: {string.Join("; ", Failures)}");
            }
        }
    }

    /// <summary>Stops producing and returns every acknowledged message.</summary>
    public async Task<IReadOnlyList<(long Offset, byte[] Value)>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(Clients.Timeout);
        lock (_gate)
        {
            return [.. _acked];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(Clients.Timeout);
        }
        finally
        {
            _producer.Dispose();
            _stop.Dispose();
        }
    }

    private async Task RunAsync()
    {
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            byte[] value = Payloads.Value(i, 100);
            try
            {
                DeliveryResult<byte[], byte[]> result = await _producer.ProduceAsync(new TopicPartition(_topic, 0), new Message<byte[], byte[]> { Value = value });
                lock (_gate)
                {
                    _acked.Add((result.Offset.Value, value));
                }
            }
            catch (ProduceException<byte[], byte[]> e)
            {
                lock (_gate)
                {
                    _failures.Add(e.Error.ToString());
                }
            }
        }
    }
}
