using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>How the records of a batch are compressed: bits 0-2 of the batch attributes.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

/// <summary>Bit 3 of the batch attributes; <see cref="None"/> only for legacy magic 0 messages.</summary>
public enum TimestampType : sbyte
{
    None = -1,
    CreateTime = 0,
    LogAppendTime = 1,
}

/// <summary>
/// The fixed 61-byte header of a record batch, magic 2 (KIP-98). Offsets below are from the batch start;
/// the CRC-32C covers everything from attributes to the end of the batch, so the base offset and the
/// partition leader epoch can be rewritten by the log without recomputing it.
/// <code>
///  0 baseOffset int64           27 baseTimestamp int64
///  8 batchLength int32 (after    35 maxTimestamp int64
///    this field)                 43 producerId int64
/// 12 partitionLeaderEpoch int32  51 producerEpoch int16
/// 16 magic int8 (= 2)            53 baseSequence int32
/// 17 crc uint32                  57 recordCount int32
/// 21 attributes int16            61 records...
/// 23 lastOffsetDelta int32
/// </code>
/// </summary>
public readonly struct RecordBatchHeader
{
    public const int Size = 61;
    public const int BaseOffsetOffset = 0;
    public const int LengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordCountOffset = 57;

    /// <summary>Bytes before the batch-length field's count starts: baseOffset + batchLength.</summary>
    public const int LogOverhead = 12;

    public const byte CurrentMagic = 2;

    private const short CompressionMask = 0x07;
    private const short TimestampTypeFlag = 0x08;
    private const short TransactionalFlag = 0x10;
    private const short ControlFlag = 0x20;
    private const short DeleteHorizonFlag = 0x40;

    public long BaseOffset { get; init; }

    /// <summary>Bytes after the length field; the whole batch is <see cref="TotalSize"/>.</summary>
    public int BatchLength { get; init; }

    public int PartitionLeaderEpoch { get; init; }

    public byte Magic { get; init; }

    public uint Crc { get; init; }

    public short Attributes { get; init; }

    public int LastOffsetDelta { get; init; }

    public long BaseTimestamp { get; init; }

    public long MaxTimestamp { get; init; }

    public long ProducerId { get; init; }

    public short ProducerEpoch { get; init; }

    public int BaseSequence { get; init; }

    public int RecordCount { get; init; }

    public int TotalSize => BatchLength + LogOverhead;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    public CompressionType Compression => (CompressionType)(Attributes & CompressionMask);

    public TimestampType TimestampType => (Attributes & TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    public bool IsControl => (Attributes & ControlFlag) != 0;

    /// <summary>KIP-534: the base timestamp holds the delete horizon of a compacted batch.</summary>
    public bool HasDeleteHorizon => (Attributes & DeleteHorizonFlag) != 0;

    public bool HasProducerId => ProducerId >= 0;

    /// <summary>Reads the magic byte of a batch or legacy message set entry (offset 16 in every format).</summary>
    public static bool TryReadMagic(ReadOnlySpan<byte> batch, out byte magic)
    {
        if (batch.Length <= MagicOffset)
        {
            magic = 0;
            return false;
        }

        magic = batch[MagicOffset];
        return true;
    }

    /// <summary>Parses the header at the start of <paramref name="batch"/>; needs at least 61 bytes and magic 2.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < Size)
        {
            ProtocolThrow.Truncated(Size, batch.Length);
        }

        byte magic = batch[MagicOffset];
        if (magic != CurrentMagic)
        {
            ProtocolThrow.Malformed($"Record batch magic {magic} is not {CurrentMagic}.");
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(batch[LengthOffset..]);
        if (length < Size - LogOverhead)
        {
            ProtocolThrow.Malformed($"Record batch length {length} is smaller than the header.");
        }

        // TotalSize adds the 12-byte log overhead; a length near int.MaxValue would wrap it negative.
        if (length > int.MaxValue - LogOverhead)
        {
            ProtocolThrow.Malformed($"Record batch length {length} is too large.");
        }

        return new RecordBatchHeader
        {
            BaseOffset = BinaryPrimitives.ReadInt64BigEndian(batch),
            BatchLength = length,
            PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]),
            Magic = magic,
            Crc = BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]),
            Attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]),
            LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]),
            BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]),
            MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]),
            ProducerId = BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]),
            ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]),
            BaseSequence = BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]),
            RecordCount = BinaryPrimitives.ReadInt32BigEndian(batch[RecordCountOffset..]),
        };
    }

    /// <summary>The CRC-32C the batch should carry: over attributes to the end of the batch.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);

    /// <summary>True when <paramref name="batch"/> (exactly one whole batch) carries a correct CRC.</summary>
    public static bool IsCrcValid(ReadOnlySpan<byte> batch) =>
        batch.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]) == ComputeCrc(batch);

    /// <summary>Rewrites the base offset in place; outside the CRC, so nothing else changes.</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Stamps the leader epoch in place; outside the CRC, so nothing else changes.</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>
    /// Marks the batch as LogAppendTime with <paramref name="timestamp"/> as its max timestamp and recomputes the
    /// CRC, as a broker does for a topic with message.timestamp.type=LogAppendTime.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long timestamp)
    {
        short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], (short)(attributes | TimestampTypeFlag));
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], timestamp);
        WriteCrc(batch);
    }

    /// <summary>Recomputes and stores the CRC of one whole batch.</summary>
    public static void WriteCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));

    public static short MakeAttributes(CompressionType compression, TimestampType timestampType = TimestampType.CreateTime, bool transactional = false, bool control = false)
    {
        int attributes = (int)compression & CompressionMask;
        if (timestampType == TimestampType.LogAppendTime)
        {
            attributes |= TimestampTypeFlag;
        }

        if (transactional)
        {
            attributes |= TransactionalFlag;
        }

        if (control)
        {
            attributes |= ControlFlag;
        }

        return (short)attributes;
    }
}
