using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Segments;

/// <summary>The header fields a segment needs to walk and index batches, read without throwing.</summary>
internal readonly record struct BatchInfo(long BaseOffset, int LastOffsetDelta, int TotalSize, long MaxTimestamp, int PartitionLeaderEpoch, byte Magic)
{
    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    /// <summary>Reads the fields from the first 61 bytes of a batch; false if the span is shorter.</summary>
    public static bool TryRead(ReadOnlySpan<byte> header, out BatchInfo info)
    {
        if (header.Length < RecordBatchHeader.Size)
        {
            info = default;
            return false;
        }

        info = new BatchInfo(
            BinaryPrimitives.ReadInt64BigEndian(header),
            BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.LastOffsetDeltaOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead,
            BinaryPrimitives.ReadInt64BigEndian(header[RecordBatchHeader.MaxTimestampOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.PartitionLeaderEpochOffset..]),
            header[RecordBatchHeader.MagicOffset]);
        return true;
    }
}
