using System.Globalization;

namespace KafkaSharp.Storage;

/// <summary>A topic name and partition number; its directory name is <c>topic-partition</c> as in Kafka.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public string DirectoryName => $"{Topic}-{Partition.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => DirectoryName;

    /// <summary>
    /// Parses a partition directory name. Topic names may contain '-', so the partition is after the last one.
    /// Kafka's deleted (<c>.uuid-delete</c>), future (<c>-future</c>) and stray (<c>-stray</c>) directories are rejected.
    /// </summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition topicPartition)
    {
        topicPartition = default;
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || dash == name.Length - 1)
        {
            return false;
        }

        if (!int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
        {
            return false;
        }

        topicPartition = new TopicPartition(name[..dash], partition);
        return true;
    }
}
