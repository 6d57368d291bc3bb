using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Records;

/// <summary>One message to put into a legacy set: timestamp (ignored for magic 0), key and value (null allowed).</summary>
public readonly record struct LegacyMessageData(long Timestamp, byte[]? Key, byte[]? Value);

/// <summary>
/// Writes legacy (magic 0/1) messages and message sets with correct CRC-32s, laid out as on
/// <see cref="LegacyMessage"/>. The broker never produces these for clients; they exist to build test vectors
/// and to answer very old fetchers if that is ever needed.
/// </summary>
public static class LegacyMessageBuilder
{
    /// <summary>Writes one message with its offset and size fields.</summary>
    public static void WriteMessage(
        IBufferWriter<byte> output,
        byte magic,
        long offset,
        long timestamp,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        CompressionType compression = CompressionType.None,
        TimestampType timestampType = TimestampType.CreateTime)
    {
        if (magic > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(magic), magic, "Legacy messages are magic 0 or 1.");
        }

        int size = (magic == 0 ? LegacyMessage.HeaderSizeV0 : LegacyMessage.HeaderSizeV1) +
                   (keyIsNull ? 0 : key.Length) + (valueIsNull ? 0 : value.Length);
        int total = RecordBatchHeader.LogOverhead + size;
        Span<byte> span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteInt64BigEndian(span, offset);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LengthOffset..], size);
        span[LegacyMessage.MagicOffset] = magic;
        int attributes = (int)compression;
        if (magic == 1 && timestampType == TimestampType.LogAppendTime)
        {
            attributes |= 0x08;
        }

        span[LegacyMessage.AttributesOffset] = (byte)attributes;
        int position = LegacyMessage.AttributesOffset + 1;
        if (magic == 1)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[position..], timestamp);
            position += 8;
        }

        position = WriteBytes(span, position, key, keyIsNull);
        WriteBytes(span, position, value, valueIsNull);
        BinaryPrimitives.WriteUInt32BigEndian(span[LegacyMessage.CrcOffset..], Crc32Ieee.Compute(span[LegacyMessage.MagicOffset..]));
        output.Advance(total);
    }

    /// <summary>Writes uncompressed messages at offsets firstOffset, firstOffset + 1, ...</summary>
    public static void WriteMessageSet(IBufferWriter<byte> output, byte magic, long firstOffset, IReadOnlyList<LegacyMessageData> messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            LegacyMessageData m = messages[i];
            WriteMessage(output, magic, firstOffset + i, m.Timestamp, m.Key, m.Key is null, m.Value, m.Value is null);
        }
    }

    /// <summary>
    /// Writes one compressed wrapper holding <paramref name="messages"/> at absolute offsets firstOffset, ...:
    /// inner offsets absolute for magic 0, relative (0..n-1) for magic 1; the wrapper carries the last absolute
    /// offset and, for magic 1, the max inner timestamp or <paramref name="logAppendTime"/>. LZ4 under magic 0
    /// gets the broken descriptor checksum old clients wrote (KIP-57).
    /// </summary>
    public static void WriteCompressedMessageSet(
        IBufferWriter<byte> output,
        byte magic,
        CompressionType compression,
        long firstOffset,
        IReadOnlyList<LegacyMessageData> messages,
        TimestampType timestampType = TimestampType.CreateTime,
        long logAppendTime = -1)
    {
        if (compression == CompressionType.None || messages.Count == 0)
        {
            throw new ArgumentException("A compressed wrapper needs a codec and at least one message.");
        }

        using var inner = new PooledBufferWriter();
        long maxTimestamp = -1;
        for (int i = 0; i < messages.Count; i++)
        {
            LegacyMessageData m = messages[i];
            long innerOffset = magic == 0 ? firstOffset + i : i;
            WriteMessage(inner, magic, innerOffset, m.Timestamp, m.Key, m.Key is null, m.Value, m.Value is null);
            maxTimestamp = Math.Max(maxTimestamp, m.Timestamp);
        }

        using var compressed = new PooledBufferWriter();
        CompressionCodecs.Get(compression).Compress(inner.WrittenSpan, compressed);
        if (compression == CompressionType.Lz4 && magic == 0)
        {
            Lz4Codec.BreakDescriptorChecksum(compressed.WrittenSpanMutable);
        }

        long wrapperTimestamp = timestampType == TimestampType.LogAppendTime ? logAppendTime : maxTimestamp;
        WriteMessage(
            output, magic, firstOffset + messages.Count - 1, wrapperTimestamp, default, keyIsNull: true,
            compressed.WrittenSpan, valueIsNull: false, compression, timestampType);
    }

    private static int WriteBytes(Span<byte> span, int position, ReadOnlySpan<byte> data, bool isNull)
    {
        BinaryPrimitives.WriteInt32BigEndian(span[position..], isNull ? -1 : data.Length);
        position += 4;
        if (!isNull)
        {
            data.CopyTo(span[position..]);
            position += data.Length;
        }

        return position;
    }
}
