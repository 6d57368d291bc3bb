using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Segments;

/// <summary>The header fields a segment needs to walk and index batches, read without throwing.</summary>
internal readonly record struct BatchInfo(long BaseOffset, int LastOffsetDelta, int TotalSize, long MaxTimestamp, int PartitionLeaderEpoch, byte Magic,
    short Attributes, long ProducerId, short ProducerEpoch, int BaseSequence)
{
    /// <summary>Control batches (transaction markers) carry a producer id but no producer data.</summary>
    public bool IsControl => (Attributes & 0x20) != 0;

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
            header[RecordBatchHeader.MagicOffset],
            BinaryPrimitives.ReadInt16BigEndian(header[RecordBatchHeader.AttributesOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(header[RecordBatchHeader.ProducerIdOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(header[RecordBatchHeader.ProducerEpochOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.BaseSequenceOffset..]));
        return true;
    }
}
