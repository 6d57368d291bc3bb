using KafkaSharp.Protocol;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Checkpoints;

/// <summary>
/// <c>partition.metadata</c> in a partition directory (KIP-516): the topic id, as Kafka's Uuid text form
/// (URL-safe base64 of the 16 big-endian bytes, no padding).
/// <code>
/// version: 0
/// topic_id: 2vQ3W1kXRWaG9mQb1oPqzA
/// </code>
/// </summary>
public static class PartitionMetadataFile
{
    public const string FileName = "partition.metadata";

    public static void Write(string partitionDir, Guid topicId) =>
        AtomicFile.Write(Path.Combine(partitionDir, FileName), $"version: 0\ntopic_id: {ToKafkaString(topicId)}\n");

    /// <summary>The stored topic id, or null when the file does not exist.</summary>
    public static Guid? Read(string partitionDir)
    {
        string[]? lines = AtomicFile.ReadLines(Path.Combine(partitionDir, FileName));
        if (lines is null)
        {
            return null;
        }

        if (lines.Length < 2 || lines[0].Trim() != "version: 0" || !lines[1].StartsWith("topic_id: ", StringComparison.Ordinal))
        {
            throw new StorageException(ErrorCode.KafkaStorageError, $"Malformed {FileName} in {partitionDir}.");
        }

        return FromKafkaString(lines[1]["topic_id: ".Length..].Trim());
    }

    public static string ToKafkaString(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static Guid FromKafkaString(string text)
    {
        string base64 = text.Replace('-', '+').Replace('_', '/') + "==";
        return new Guid(Convert.FromBase64String(base64), bigEndian: true);
    }
}
