using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Storage.Cleaner;

/// <summary>
/// The background cleaner: repeatedly picks the compacted log with the highest dirty ratio, compacts it and records
/// where the next pass starts in the log dir's <c>cleaner-offset-checkpoint</c>. Sleeps log.cleaner.backoff.ms when
/// there is nothing to do.
/// </summary>
internal sealed class LogCleaner : IDisposable
{
    private readonly LogManager _manager;
    private readonly TimeProvider _time;
    private readonly long _backoffMs;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _passLock = new();
    private Task _loop = Task.CompletedTask;

    public LogCleaner(LogManager manager, TimeProvider time, long backoffMs)
    {
        _manager = manager;
        _time = time;
        _backoffMs = backoffMs;
    }

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            bool cleaned;
            try
            {
                cleaned = CleanOnce();
            }
            catch (Exception e) when (e is IOException or StorageException or UnauthorizedAccessException)
            {
                cleaned = false; // the log is offline or was deleted; others continue
            }

            if (!cleaned)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(_backoffMs), _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Cleans the dirtiest eligible log once; false when none was eligible.</summary>
    public bool CleanOnce()
    {
        lock (_passLock)
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var checkpoints = new Dictionary<string, Dictionary<TopicPartition, long>>(StringComparer.Ordinal);
            PartitionLog? best = null;
            double bestRatio = -1;
            foreach (PartitionLog log in _manager.Logs)
            {
                if (!log.Config.IsCompacted || log.IsOffline)
                {
                    continue;
                }

                string dir = Path.GetDirectoryName(log.Directory)!;
                if (!checkpoints.TryGetValue(dir, out Dictionary<TopicPartition, long>? dirCheckpoints))
                {
                    dirCheckpoints = _manager.CleanerCheckpoint(dir).Read();
                    checkpoints[dir] = dirCheckpoints;
                }

                double ratio = LogCompactor.Measure(log, dirCheckpoints.GetValueOrDefault(log.TopicPartition), now);
                if (ratio >= log.Config.MinCleanableDirtyRatio && ratio > bestRatio && ratio > 0)
                {
                    best = log;
                    bestRatio = ratio;
                }
            }

            if (best is null)
            {
                return false;
            }

            string logDir = Path.GetDirectoryName(best.Directory)!;
            var checkpoint = _manager.CleanerCheckpoint(logDir);
            Dictionary<TopicPartition, long> offsets = checkpoint.Read();
            LogCompactor.Result result = LogCompactor.Clean(best, offsets.GetValueOrDefault(best.TopicPartition), now);
            offsets[best.TopicPartition] = result.FirstDirtyOffset;
            checkpoint.Write(offsets);
            return result.Cleaned;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Stopping; a failed pass has nothing left to undo (the .cleaned file is removed on next load).
        }

        _stop.Dispose();
    }
}
