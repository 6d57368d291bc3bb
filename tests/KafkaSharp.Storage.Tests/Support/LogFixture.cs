using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Producers;

namespace KafkaSharp.Storage.Tests.Support;

/// <summary>A partition log in a temp directory with a manual clock; reopen simulates restarts.</summary>
public sealed class LogFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public LogFixture(LogConfig? config = null)
    {
        Config = config ?? new LogConfig { FileDeleteDelayMs = 0 };
        Dir = _temp.Sub("topic-0");
        Log = PartitionLog.Open(Dir, new TopicPartition("topic", 0), Config, LogLoadState.Unknown, Time, producerOptions: ProducerOptions);
    }

    public ManualTimeProvider Time { get; } = new();

    /// <summary>producer.id.expiration.ms and friends, shared by every open of this log.</summary>
    public ProducerStateOptions ProducerOptions { get; } = new();

    public LogConfig Config { get; set; }

    public string Dir { get; }

    public PartitionLog Log { get; private set; }

    public AppendResult Append(byte[] batch, int epoch = 0)
    {
        AppendResult result = Log.Append(batch.AsSpan().ToArray(), epoch);
        Log.UpdateHighWatermark(Log.LogEndOffset);
        return result;
    }

    public AppendResult AppendValues(int count, int valueSize = 10) => Append(BatchFactory.Values(Time.NowMs, count, valueSize));

    /// <summary>Closes cleanly (or abandons the handles as a crash would) and opens the directory again.</summary>
    public PartitionLog Reopen(bool clean = true, long recoveryPoint = 0)
    {
        long logStart = Log.LogStartOffset;
        long highWatermark = Log.HighWatermark;
        if (clean)
        {
            recoveryPoint = Log.LogEndOffset;
            Log.Dispose();
        }
        else
        {
            Log.CloseUncleanly();
        }

        Log = PartitionLog.Open(Dir, new TopicPartition("topic", 0), Config, new LogLoadState(recoveryPoint, logStart, highWatermark, clean), Time, producerOptions: ProducerOptions);
        return Log;
    }

    /// <summary>Every record from the log start, decoded.</summary>
    public List<(long Offset, string? Key, string? Value, long Timestamp)> ReadAll()
    {
        var all = new List<(long, string?, string?, long)>();
        long offset = Log.LogStartOffset;
        while (offset < Log.LogEndOffset)
        {
            LogReadResult read = Log.Read(offset, 1 << 20);
            if (read.Records.IsEmpty)
            {
                break;
            }

            byte[] bytes = read.Records.ToArray();
            long from = offset;
            all.AddRange(BatchFactory.Decode(bytes).Where(r => r.Offset >= from));
            offset = BatchFactory.NextOffsetAfter(bytes);
        }

        return all;
    }

    public void Dispose()
    {
        Log.Dispose();
        _temp.Dispose();
    }
}
