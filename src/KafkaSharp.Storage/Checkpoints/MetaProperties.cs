using KafkaSharp.Protocol;
using System.Globalization;
using System.Text;
using KafkaSharp.Storage.Errors;

namespace KafkaSharp.Storage.Checkpoints;

/// <summary>
/// <c>meta.properties</c> at the root of a log dir, a Java properties file. Version 0 is the ZooKeeper-mode form
/// Kafka writes: it ties the directory to one broker id and cluster id so a misplaced disk is refused.
/// <code>
/// #
/// #Sat Nov 21 22:40:08 UTC 2026
/// cluster.id=Zq3...
/// version=0
/// broker.id=1
/// </code>
/// </summary>
public sealed record MetaProperties(int BrokerId, string? ClusterId)
{
    public const string FileName = "meta.properties";

    public void Write(string logDir)
    {
        var text = new StringBuilder();
        text.Append("#\n#").Append(DateTime.UtcNow.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture)).Append('\n');
        if (ClusterId is not null)
        {
            text.Append("cluster.id=").Append(ClusterId).Append('\n');
        }

        text.Append("version=0\n");
        text.Append("broker.id=").Append(BrokerId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.Write(Path.Combine(logDir, FileName), text.ToString());
    }

    /// <summary>The properties in <paramref name="logDir"/>, or null when the file does not exist.</summary>
    public static MetaProperties? Read(string logDir)
    {
        string[]? lines = AtomicFile.ReadLines(Path.Combine(logDir, FileName));
        if (lines is null)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or '!')
            {
                continue;
            }

            int eq = trimmed.IndexOfAny(['=', ':']);
            if (eq > 0)
            {
                values[trimmed[..eq].Trim()] = trimmed[(eq + 1)..].Trim();
            }
        }

        if (!values.TryGetValue("broker.id", out string? id) && !values.TryGetValue("node.id", out id))
        {
            throw new StorageException(ErrorCode.KafkaStorageError, $"{FileName} in {logDir} has no broker.id.");
        }

        return new MetaProperties(int.Parse(id, CultureInfo.InvariantCulture), values.GetValueOrDefault("cluster.id"));
    }
}
