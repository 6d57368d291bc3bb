using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// One legacy message (magic 0, or magic 1 from KIP-32), as a view over its bytes. Inside a compressed
/// wrapper, <see cref="Offset"/>, <see cref="Timestamp"/> and <see cref="TimestampType"/> are the resolved,
/// absolute values (see <see cref="LegacyMessageSetReader"/>).
/// <code>
/// offset int64 | size int32 | crc uint32 (CRC-32 of magic .. end) | magic int8 | attributes int8 |
/// [timestamp int64, magic 1 only] | keyLength int32 (-1 null) | key | valueLength int32 (-1 null) | value
/// attributes: bits 0-2 compression, bit 3 timestamp type (magic 1: 0 CreateTime, 1 LogAppendTime)
/// </code>
/// </summary>
public readonly ref struct LegacyMessage
{
    /// <summary>Size field minimum for magic 0: crc, magic, attributes, key length, value length.</summary>
    public const int HeaderSizeV0 = 4 + 1 + 1 + 4 + 4;

    /// <summary>Size field minimum for magic 1: magic 0's plus the timestamp.</summary>
    public const int HeaderSizeV1 = HeaderSizeV0 + 8;

    public const int CrcOffset = 12;
    public const int MagicOffset = 16;
    public const int AttributesOffset = 17;

    private const int CompressionMask = 0x07;
    private const int TimestampTypeFlag = 0x08;

    internal LegacyMessage(
        long offset,
        byte magic,
        sbyte attributes,
        long timestamp,
        TimestampType timestampType,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull)
    {
        Offset = offset;
        Magic = magic;
        Attributes = attributes;
        Timestamp = timestamp;
        TimestampType = timestampType;
        Key = key;
        IsKeyNull = keyIsNull;
        Value = value;
        IsValueNull = valueIsNull;
    }

    public long Offset { get; }

    public byte Magic { get; }

    public sbyte Attributes { get; }

    /// <summary>-1 (no timestamp) for magic 0.</summary>
    public long Timestamp { get; }

    public TimestampType TimestampType { get; }

    public CompressionType Compression => (CompressionType)(Attributes & CompressionMask);

    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>
    /// Parses and checks one whole message (offset and size fields included, nothing after): the CRC, the magic,
    /// and that key and value fill the message exactly.
    /// </summary>
    public static LegacyMessage Read(ReadOnlySpan<byte> entry, bool verifyCrc = true)
    {
        if (entry.Length < RecordBatchHeader.LogOverhead + HeaderSizeV0)
        {
            RecordThrow.Overrun("A legacy message", RecordBatchHeader.LogOverhead + HeaderSizeV0, entry.Length);
        }

        long offset = BinaryPrimitives.ReadInt64BigEndian(entry);
        int size = BinaryPrimitives.ReadInt32BigEndian(entry[RecordBatchHeader.LengthOffset..]);
        if (size != entry.Length - RecordBatchHeader.LogOverhead)
        {
            RecordThrow.Corrupt($"Legacy message size {size} does not match its {entry.Length - RecordBatchHeader.LogOverhead} byte(s).");
        }

        byte magic = entry[MagicOffset];
        if (magic > 1)
        {
            RecordThrow.Corrupt($"Legacy message magic {magic} is not 0 or 1.");
        }

        if (magic == 1 && size < HeaderSizeV1)
        {
            RecordThrow.Corrupt($"Magic 1 message size {size} is smaller than its header.");
        }

        if (verifyCrc)
        {
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(entry[CrcOffset..]);
            if (stored != Crc32Ieee.Compute(entry[MagicOffset..]))
            {
                RecordThrow.Corrupt($"Legacy message at offset {offset} fails its CRC-32 check.");
            }
        }

        sbyte attributes = (sbyte)entry[AttributesOffset];
        if ((attributes & CompressionMask) > (int)CompressionType.Zstd)
        {
            RecordThrow.Corrupt($"Unknown compression {attributes & CompressionMask} in a legacy message.");
        }

        int position = AttributesOffset + 1;
        long timestamp = -1;
        TimestampType timestampType = TimestampType.None;
        if (magic == 1)
        {
            timestamp = BinaryPrimitives.ReadInt64BigEndian(entry[position..]);
            timestampType = (attributes & TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
            position += 8;
        }

        ReadOnlySpan<byte> key = ReadBytes(entry, ref position, "key", out bool keyIsNull);
        ReadOnlySpan<byte> value = ReadBytes(entry, ref position, "value", out bool valueIsNull);
        if (position != entry.Length)
        {
            RecordThrow.Corrupt($"Legacy message has {entry.Length - position} byte(s) after its value.");
        }

        return new LegacyMessage(offset, magic, attributes, timestamp, timestampType, key, keyIsNull, value, valueIsNull);
    }

    /// <summary>The same message with resolved offset and timestamp, as seen inside a wrapper.</summary>
    internal LegacyMessage WithResolved(long offset, long timestamp, TimestampType timestampType) =>
        new(offset, Magic, Attributes, timestamp, timestampType, Key, IsKeyNull, Value, IsValueNull);

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> entry, scoped ref int position, string what, out bool isNull)
    {
        if (entry.Length - position < 4)
        {
            RecordThrow.Overrun($"Legacy message {what} length", 4, entry.Length - position);
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(entry[position..]);
        position += 4;
        if (length < 0)
        {
            // Writers use -1; Kafka's LegacyRecord reads any negative size as null, and so do we.
            isNull = true;
            return default;
        }

        if (length > entry.Length - position)
        {
            RecordThrow.Corrupt($"Legacy message {what} length {length} with {entry.Length - position} byte(s) left.");
        }

        isNull = false;
        ReadOnlySpan<byte> bytes = entry.Slice(position, length);
        position += length;
        return bytes;
    }
}
