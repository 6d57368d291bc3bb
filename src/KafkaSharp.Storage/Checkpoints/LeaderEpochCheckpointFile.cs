using KafkaSharp.Protocol;
using System.Globalization;
using System.Text;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Checkpoints;

/// <summary>
/// <c>leader-epoch-checkpoint</c> in a partition directory: which leader epoch started at which offset.
/// <code>
/// 0          version
/// 2          number of entries
/// 0 0        epoch startOffset
/// 3 1500
/// </code>
/// </summary>
internal sealed class LeaderEpochCheckpointFile(string path)
{
    public const string FileName = "leader-epoch-checkpoint";

    public string FilePath { get; } = path;

    public void Write(IReadOnlyList<EpochEntry> entries)
    {
        var text = new StringBuilder();
        text.Append("0\n").Append(entries.Count).Append('\n');
        foreach (EpochEntry entry in entries)
        {
            text.Append(entry.Epoch.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.StartOffset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        AtomicFile.Write(FilePath, text.ToString());
    }

    public List<EpochEntry> Read()
    {
        string[]? lines = AtomicFile.ReadLines(FilePath);
        var entries = new List<EpochEntry>();
        if (lines is null)
        {
            return entries;
        }

        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], CultureInfo.InvariantCulture, out int count) || lines.Length < 2 + count)
        {
            throw new StorageException(ErrorCode.KafkaStorageError, $"Malformed leader epoch checkpoint {FilePath}.");
        }

        for (int i = 0; i < count; i++)
        {
            string[] parts = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int epoch)
                || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long offset))
            {
                throw new StorageException(ErrorCode.KafkaStorageError, $"Malformed leader epoch checkpoint {FilePath}.");
            }

            entries.Add(new EpochEntry(epoch, offset));
        }

        return entries;
    }
}

/// <summary>A leader epoch and the first offset written in it.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);
