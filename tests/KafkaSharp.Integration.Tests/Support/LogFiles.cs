using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>Reads batch headers straight from a running server's segment files, to see what a client really sent.</summary>
public static class LogFiles
{
    /// <summary>(producer id, epoch, base sequence) of every batch in the partition, in log order.</summary>
    public static List<(long ProducerId, short Epoch, int BaseSequence)> ProducerFields(string dataDir, string topic, int partition)
    {
        var result = new List<(long, short, int)>();
        string dir = Path.Combine(dataDir, $"{topic}-{partition}");
        foreach (string path in Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal))
        {
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            for (int position = 0; position + RecordBatchHeader.Size <= bytes.Length;)
            {
                ReadOnlySpan<byte> batch = bytes.AsSpan(position);
                int size = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
                if (size < RecordBatchHeader.Size)
                {
                    break; // preallocated or unwritten tail
                }

                result.Add((BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..]),
                    BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..]),
                    BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..])));
                position += size;
            }
        }

        return result;
    }

    /// <summary>Asserts every batch carries a producer id and the sequences of each producer follow on from 0.</summary>
    public static void AssertIdempotentBatches(string dataDir, string topic, int partition)
    {
        List<(long ProducerId, short Epoch, int BaseSequence)> batches = ProducerFields(dataDir, topic, partition);
        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.True(b.ProducerId >= 0 && b.BaseSequence >= 0, $"batch without producer id: {b}"));
        Assert.Equal(0, batches[0].BaseSequence);
    }
}
