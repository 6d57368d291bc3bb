using KafkaSharp.Protocol;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Admin;

/// <summary>What one log dir holds, as DescribeLogDirs reports it.</summary>
public sealed record LogDirDescription(
    string Path,
    ErrorCode Error,
    IReadOnlyList<(TopicPartition Partition, long Size, long OffsetLag)> Partitions,
    long TotalBytes,
    long UsableBytes);

/// <summary>
/// The log dirs and their partitions, as Kafka's ReplicaManager.describeLogDirs reports them: every configured dir,
/// an offline one with KAFKA_STORAGE_ERROR and nothing else, an online one with its file system's total and usable
/// bytes and the size of each (requested) partition. There are no future replicas (AlterReplicaLogDirs), so the offset
/// lag is how far the log end is behind the high watermark, i.e. 0.
/// </summary>
public sealed class LogDirDescriber
{
    private readonly LogManager _logs;

    public LogDirDescriber(LogManager logs) => _logs = logs;

    /// <param name="wanted">The partitions to report, or null for all of them.</param>
    public IReadOnlyList<LogDirDescription> Describe(IReadOnlySet<TopicPartition>? wanted)
    {
        var offline = new HashSet<string>(_logs.OfflineLogDirs, StringComparer.Ordinal);
        PartitionLog[] logs = [.. _logs.Logs];
        var result = new List<LogDirDescription>(_logs.LogDirs.Count);
        foreach (string dir in _logs.LogDirs.Distinct(StringComparer.Ordinal))
        {
            if (offline.Contains(dir))
            {
                result.Add(new LogDirDescription(dir, ErrorCode.KafkaStorageError, [], -1, -1));
                continue;
            }

            try
            {
                var drive = new DriveInfo(dir);
                long total = drive.TotalSize;
                long usable = drive.AvailableFreeSpace;
                (TopicPartition, long, long)[] partitions =
                [
                    .. logs.Where(l => string.Equals(System.IO.Path.GetDirectoryName(l.Directory), dir, StringComparison.Ordinal)
                            && (wanted is null || wanted.Contains(l.TopicPartition)))
                        .OrderBy(l => l.TopicPartition.Topic, StringComparer.Ordinal)
                        .ThenBy(l => l.TopicPartition.Partition)
                        .Select(l => (l.TopicPartition, l.Size, Math.Max(l.HighWatermark - l.LogEndOffset, 0))),
                ];
                result.Add(new LogDirDescription(dir, ErrorCode.None, partitions, total, usable));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                result.Add(new LogDirDescription(dir, ErrorCode.KafkaStorageError, [], -1, -1));
            }
        }

        return result;
    }
}
