using KafkaSharp.Storage.Checkpoints;

namespace KafkaSharp.Broker.Cluster;

/// <summary>Kafka's Uuid: 16 random bytes written as 22 characters of URL-safe base64 without padding.</summary>
public static class KafkaUuid
{
    /// <summary>Kafka's METADATA_TOPIC_ID (0...01), reserved.</summary>
    private static readonly Guid s_metadataTopicId = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], bigEndian: true);

    /// <summary>
    /// A random id as Uuid.randomUuid makes them: never the zero or reserved id, and never one whose text starts
    /// with '-', which command-line tools would take for an option.
    /// </summary>
    public static Guid NewId()
    {
        while (true)
        {
            Guid id = Guid.NewGuid();
            if (id != Guid.Empty && id != s_metadataTopicId && !ToString(id).StartsWith('-'))
            {
                return id;
            }
        }
    }

    public static string ToString(Guid id) => PartitionMetadataFile.ToKafkaString(id);

    public static Guid Parse(string text) => PartitionMetadataFile.FromKafkaString(text);
}
