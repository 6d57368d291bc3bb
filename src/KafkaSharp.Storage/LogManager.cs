using KafkaSharp.Protocol;
using System.Collections.Concurrent;
using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Cleaner;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Storage;

/// <summary>
/// Owns every partition log in a set of log dirs: loads (and recovers) them at startup, creates and deletes logs,
/// writes each dir's checkpoints, runs retention, flush and the compaction cleaner in the background, and shuts down
/// cleanly (flush, checkpoints, then the <c>.kafka_cleanshutdown</c> marker that lets the next start skip recovery).
/// A log dir with an I/O error goes offline as a whole.
/// </summary>
public sealed class LogManager : IDisposable
{
    public const string CleanShutdownFile = ".kafka_cleanshutdown";

    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly ConcurrentDictionary<string, bool> _offlineDirs = new(StringComparer.Ordinal);
    private readonly LogManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly List<ITimer> _timers = [];
    private readonly Lock _createLock = new();
    private LogCleaner? _cleaner;
    private bool _started;
    private bool _disposed;

    public LogManager(IReadOnlyList<string> logDirs, LogConfig defaultConfig, LogManagerOptions? options = null, TimeProvider? time = null)
    {
        if (logDirs.Count == 0)
        {
            throw new ArgumentException("At least one log dir is needed.", nameof(logDirs));
        }

        LogDirs = logDirs.Select(Path.GetFullPath).ToArray();
        DefaultConfig = defaultConfig;
        _options = options ?? new LogManagerOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised with the log dir that went offline.</summary>
    public event Action<string>? LogDirFailed;

    public IReadOnlyList<string> LogDirs { get; }

    public LogConfig DefaultConfig { get; }

    public IReadOnlyCollection<string> OfflineLogDirs => _offlineDirs.Keys.ToArray();

    public IReadOnlyCollection<PartitionLog> Logs => _logs.Values.ToArray();

    internal LogCleaner? Cleaner => _cleaner;

    /// <summary>Loads every partition in every log dir, then starts the background tasks.</summary>
    public void Startup(bool startBackgroundTasks = true)
    {
        foreach (string dir in LogDirs)
        {
            try
            {
                LoadDir(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException)
            {
                MarkDirOffline(dir, e);
            }
        }

        _started = true;
        if (startBackgroundTasks)
        {
            Schedule(_options.RetentionCheckIntervalMs, () => RunRetention());
            Schedule(_options.FlushCheckIntervalMs, FlushDueLogs);
            Schedule(_options.CheckpointIntervalMs, Checkpoint);
            Schedule(_options.ProducerIdExpirationCheckIntervalMs, () => RemoveExpiredProducers());
            if (_options.CleanerEnabled)
            {
                _cleaner = new LogCleaner(this, _time, _options.CleanerBackoffMs);
                _cleaner.Start();
            }
        }
    }

    private void LoadDir(string dir)
    {
        Directory.CreateDirectory(dir);
        MetaProperties? meta = MetaProperties.Read(dir);
        if (meta is not null && meta.BrokerId != _options.BrokerId)
        {
            throw new StorageException(ErrorCode.KafkaStorageError, $"Log dir {dir} belongs to broker {meta.BrokerId}, not {_options.BrokerId}.");
        }

        if (meta is null)
        {
            new MetaProperties(_options.BrokerId, _options.ClusterId).Write(dir);
        }

        string marker = Path.Combine(dir, CleanShutdownFile);
        bool clean = File.Exists(marker);
        Dictionary<TopicPartition, long> recoveryPoints = Checkpoint(dir, OffsetCheckpointFile.RecoveryPointFile).Read();
        Dictionary<TopicPartition, long> logStarts = Checkpoint(dir, OffsetCheckpointFile.LogStartOffsetFile).Read();
        Dictionary<TopicPartition, long> highWatermarks = Checkpoint(dir, OffsetCheckpointFile.ReplicationOffsetFile).Read();
        foreach (string partitionDir in Directory.EnumerateDirectories(dir))
        {
            string name = Path.GetFileName(partitionDir);
            if (name.EndsWith("-delete", StringComparison.Ordinal))
            {
                Directory.Delete(partitionDir, recursive: true); // a deletion that did not finish
                continue;
            }

            if (!TopicPartition.TryParseDirectoryName(name, out TopicPartition tp))
            {
                continue;
            }

            var state = new LogLoadState(
                recoveryPoints.GetValueOrDefault(tp, 0),
                logStarts.GetValueOrDefault(tp, 0),
                highWatermarks.GetValueOrDefault(tp, 0),
                clean);
            PartitionLog log = PartitionLog.Open(partitionDir, tp, ConfigFor(tp.Topic), state, _time, OnStorageFailure, _options.ProducerState);
            if (!_logs.TryAdd(tp, log))
            {
                log.Dispose();
                throw new StorageException(ErrorCode.KafkaStorageError, $"Partition {tp} exists in more than one log dir.");
            }
        }

        // Delete the marker only once loaded: a crash from here on must recover.
        File.Delete(marker);
    }

    public PartitionLog? GetLog(TopicPartition topicPartition) => _logs.GetValueOrDefault(topicPartition);

    /// <summary>Returns the partition's log, creating it in the online log dir with the fewest partitions.</summary>
    public PartitionLog GetOrCreateLog(TopicPartition topicPartition, Guid? topicId = null, LogConfig? config = null)
    {
        if (_logs.TryGetValue(topicPartition, out PartitionLog? existing))
        {
            return existing;
        }

        lock (_createLock)
        {
            if (_logs.TryGetValue(topicPartition, out existing))
            {
                return existing;
            }

            string? dir = LogDirs.Where(d => !_offlineDirs.ContainsKey(d))
                .OrderBy(d => _logs.Values.Count(l => Path.GetDirectoryName(l.Directory) == d))
                .FirstOrDefault()
                ?? throw new StorageException(ErrorCode.KafkaStorageError, "Every log dir is offline.");
            string partitionDir = Path.Combine(dir, topicPartition.DirectoryName);
            try
            {
                PartitionLog log = PartitionLog.Open(partitionDir, topicPartition, config ?? ConfigFor(topicPartition.Topic), LogLoadState.Unknown, _time, OnStorageFailure, _options.ProducerState);
                if (topicId is { } id)
                {
                    PartitionMetadataFile.Write(partitionDir, id);
                }

                _logs[topicPartition] = log;
                return log;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MarkDirOffline(dir, e);
                throw new StorageException(ErrorCode.KafkaStorageError, $"Cannot create log {topicPartition} in {dir}: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Removes a partition's log: renamed <c>topic-partition.uuid-delete</c> at once (as Kafka does, so a restart
    /// finishes the job) and deleted from disk.
    /// </summary>
    public void DeleteLog(TopicPartition topicPartition)
    {
        if (!_logs.TryRemove(topicPartition, out PartitionLog? log))
        {
            return;
        }

        log.Dispose();
        string renamed = $"{log.Directory}.{Guid.NewGuid():N}-delete";
        Directory.Move(log.Directory, renamed);
        Directory.Delete(renamed, recursive: true);
    }

    /// <summary>Runs retention and segment.ms rolls over every log; returns the number of segments deleted.</summary>
    public int RunRetention()
    {
        int deleted = 0;
        foreach (PartitionLog log in _logs.Values)
        {
            try
            {
                log.RollIfDue();
                deleted += log.DeleteOldSegments();
            }
            catch (StorageException)
            {
                // The log went offline; its dir has been reported.
            }
        }

        return deleted;
    }

    /// <summary>Forgets producers idle for producer.id.expiration.ms in every log; returns how many.</summary>
    public int RemoveExpiredProducers()
    {
        int removed = 0;
        foreach (PartitionLog log in _logs.Values)
        {
            removed += log.RemoveExpiredProducers();
        }

        return removed;
    }

    public void FlushDueLogs()
    {
        foreach (PartitionLog log in _logs.Values)
        {
            try
            {
                log.FlushIfDue();
            }
            catch (StorageException)
            {
                // Reported through the failure callback.
            }
        }
    }

    /// <summary>Writes recovery points, log start offsets and high watermarks for every online log dir.</summary>
    public void Checkpoint()
    {
        foreach (string dir in LogDirs)
        {
            if (_offlineDirs.ContainsKey(dir))
            {
                continue;
            }

            PartitionLog[] logs = _logs.Values.Where(l => Path.GetDirectoryName(l.Directory) == dir && !l.IsOffline).ToArray();
            try
            {
                Checkpoint(dir, OffsetCheckpointFile.RecoveryPointFile).Write(logs.Select(l => KeyValuePair.Create(l.TopicPartition, l.RecoveryPoint)));
                Checkpoint(dir, OffsetCheckpointFile.LogStartOffsetFile).Write(logs.Select(l => KeyValuePair.Create(l.TopicPartition, l.LogStartOffset)));
                Checkpoint(dir, OffsetCheckpointFile.ReplicationOffsetFile).Write(logs.Select(l => KeyValuePair.Create(l.TopicPartition, l.HighWatermark)));
            }
            catch (IOException e)
            {
                MarkDirOffline(dir, e);
            }
        }
    }

    internal OffsetCheckpointFile CleanerCheckpoint(string logDir) => Checkpoint(logDir, OffsetCheckpointFile.CleanerOffsetFile);

    private static OffsetCheckpointFile Checkpoint(string dir, string name) => new(Path.Combine(dir, name));

    private LogConfig ConfigFor(string topic) => _options.TopicConfig?.Invoke(topic) ?? DefaultConfig;

    private void OnStorageFailure(string partitionDir, Exception cause) =>
        MarkDirOffline(Path.GetDirectoryName(partitionDir) ?? partitionDir, cause);

    private void MarkDirOffline(string dir, Exception cause)
    {
        _ = cause;
        if (!_offlineDirs.TryAdd(dir, true))
        {
            return;
        }

        foreach (PartitionLog log in _logs.Values)
        {
            if (Path.GetDirectoryName(log.Directory) == dir)
            {
                log.SetOffline();
            }
        }

        LogDirFailed?.Invoke(dir);
    }

    private void Schedule(long intervalMs, Action action)
    {
        if (intervalMs <= 0 || intervalMs >= int.MaxValue)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(intervalMs);
        _timers.Add(_time.CreateTimer(_ => action(), null, period, period));
    }

    /// <summary>Clean shutdown: stop background work, flush and close every log, checkpoint, mark clean.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (ITimer timer in _timers)
        {
            timer.Dispose();
        }

        _cleaner?.Dispose();
        foreach (PartitionLog log in _logs.Values)
        {
            try
            {
                if (!log.IsOffline)
                {
                    log.Flush();
                }
            }
            catch (StorageException)
            {
                // Offline logs are not flushed; their dir gets no clean marker.
            }
        }

        if (_started)
        {
            Checkpoint();
        }

        foreach (PartitionLog log in _logs.Values)
        {
            log.Dispose();
        }

        if (!_started)
        {
            return;
        }

        foreach (string dir in LogDirs)
        {
            if (!_offlineDirs.ContainsKey(dir))
            {
                File.WriteAllBytes(Path.Combine(dir, CleanShutdownFile), []);
            }
        }
    }
}
