using KafkaSharp.Broker.Delayed;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// A fetch that found fewer than min_bytes, waiting in the fetch purgatory under each of its partitions, as Kafka's
/// DelayedFetch. An append (or a high-watermark or log-start move) on one of them re-checks it: it completes once
/// min_bytes are available within the limits, or a partition would now answer an error (moved leader, offset out
/// of range, diverging epoch); otherwise its timer (max_wait_ms) completes it.
/// </summary>
internal sealed class DelayedFetch : DelayedOperation
{
    private readonly LogReader _reader;
    private readonly IReadOnlyList<FetchPartitionState> _partitions;
    private readonly int _minBytes;
    private readonly int _maxBytes;
    private readonly short _version;

    public DelayedFetch(LogReader reader, IReadOnlyList<FetchPartitionState> partitions, int minBytes, int maxBytes, short version)
    {
        _reader = reader;
        _partitions = partitions;
        _minBytes = minBytes;
        _maxBytes = maxBytes;
        _version = version;
    }

    /// <summary>The partitions to watch: those the first read resolved (an unknown one answers at once anyway).</summary>
    public IEnumerable<TopicPartition> Keys =>
        _partitions.Where(p => p.TopicName.Length > 0).Select(p => new TopicPartition(p.TopicName, p.Key.Partition));

    protected override bool IsSatisfied()
    {
        long accumulated = 0;
        foreach (FetchPartitionState partition in _partitions)
        {
            int available = _reader.Available(partition, (int)Math.Min(partition.MaxBytes, Math.Max(1, _maxBytes - accumulated)), _version);
            if (available < 0)
            {
                return true;
            }

            accumulated += available;
            if (accumulated >= _minBytes)
            {
                return true;
            }
        }

        return false;
    }
}
