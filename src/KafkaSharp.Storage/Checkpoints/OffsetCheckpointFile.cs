using KafkaSharp.Protocol;
using System.Globalization;
using System.Text;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Checkpoints;

/// <summary>
/// Kafka's per-log-dir offset checkpoints (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
/// replication-offset-checkpoint, cleaner-offset-checkpoint), all in the same text format:
/// <code>
/// 0                  version
/// 2                  number of entries
/// my-topic 0 1234    topic partition offset
/// my-topic 1 99
/// </code>
/// </summary>
public sealed class OffsetCheckpointFile
{
    public const string RecoveryPointFile = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetFile = "log-start-offset-checkpoint";
    public const string ReplicationOffsetFile = "replication-offset-checkpoint";
    public const string CleanerOffsetFile = "cleaner-offset-checkpoint";

    private const int Version = 0;
    private readonly Lock _lock = new();

    public OffsetCheckpointFile(string path) => FilePath = path;

    public string FilePath { get; }

    public void Write(IEnumerable<KeyValuePair<TopicPartition, long>> offsets)
    {
        var entries = offsets.ToList();
        var text = new StringBuilder();
        text.Append(Version).Append('\n').Append(entries.Count).Append('\n');
        foreach ((TopicPartition tp, long offset) in entries)
        {
            text.Append(tp.Topic).Append(' ').Append(tp.Partition.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        lock (_lock)
        {
            AtomicFile.Write(FilePath, text.ToString());
        }
    }

    /// <summary>The checkpointed offsets; empty when the file does not exist. A malformed file throws.</summary>
    public Dictionary<TopicPartition, long> Read()
    {
        string[]? lines;
        lock (_lock)
        {
            lines = AtomicFile.ReadLines(FilePath);
        }

        var result = new Dictionary<TopicPartition, long>();
        if (lines is null)
        {
            return result;
        }

        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], CultureInfo.InvariantCulture, out int count) || lines.Length < 2 + count)
        {
            throw Malformed();
        }

        for (int i = 0; i < count; i++)
        {
            string[] parts = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3
                || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int partition)
                || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out long offset))
            {
                throw Malformed();
            }

            result[new TopicPartition(parts[0], partition)] = offset;
        }

        return result;
    }

    private StorageException Malformed() => new(ErrorCode.KafkaStorageError, $"Malformed checkpoint file {FilePath}.");
}
