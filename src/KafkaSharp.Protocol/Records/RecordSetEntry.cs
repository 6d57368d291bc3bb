using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// One entry of a records field: a magic-2 batch or a legacy (magic 0/1) message, which share their first
/// 17 bytes' layout.
/// <code>
/// 0 offset int64 | 8 size int32 (bytes after this field) | 12 ... | 16 magic int8
/// </code>
/// (offset 12 is the partition leader epoch in a batch and the CRC in a legacy message).
/// </summary>
public readonly ref struct RecordSetEntry(ReadOnlySpan<byte> data)
{
    /// <summary>The whole entry, offset and size fields included.</summary>
    public ReadOnlySpan<byte> Data { get; } = data;

    public byte Magic => Data[RecordBatchHeader.MagicOffset];

    /// <summary>Base offset of a batch, or the offset of a legacy message (the last inner offset for a wrapper).</summary>
    public long Offset => BinaryPrimitives.ReadInt64BigEndian(Data);

    public bool IsBatch => Magic >= RecordBatchHeader.CurrentMagic;
}
