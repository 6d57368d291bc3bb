using System.Buffers;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Benchmarks.Storage;

/// <summary>Shared inputs for the storage benchmarks: 16 KiB batches of 1 KiB records, and temp directories.</summary>
internal static class StorageBenchData
{
    public const int RecordSize = 1024;
    public const int RecordsPerBatch = 16;

    /// <summary>One uncompressed batch of 16 records with 1 KiB values (about 16.6 KiB on the wire).</summary>
    public static byte[] Batch()
    {
        using var builder = new RecordBatchBuilder();
        var value = new byte[RecordSize];
        new Random(1).NextBytes(value);
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value);
        }

        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A fresh directory on the real temp file system (page cache, not tmpfs).</summary>
    public static string NewDirectory(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kafkasharp-bench", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void DeleteDirectory(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
