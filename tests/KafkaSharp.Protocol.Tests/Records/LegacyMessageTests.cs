using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;
using Record = KafkaSharp.Protocol.Records.Record;

namespace KafkaSharp.Protocol.Tests.Records;

public class LegacyMessageTests
{
    // Test vectors written by hand in Python from the documented layout; CRC-32 by zlib.crc32, gzip by
    // Python's gzip module (mtime 0).
    // magic 0, offset 7, key "key", value "value".
    private static readonly byte[] PlainV0 = Convert.FromHexString(
        "0000000000000007000000162356C1370000000000036B65790000000576616C7565");

    // magic 1, offset 8, CreateTime 1700000000000, null key, value "v1".
    private static readonly byte[] PlainV1 = Convert.FromHexString(
        "0000000000000008000000186A5500FB01000000018BCFE56800FFFFFFFF000000027631");

    // magic 1 gzip wrapper at offset 102 (timestamp 1002) holding relative offsets 0..2:
    // (ts 1000, null key, "a"), (ts 1001, "k", "b"), (ts 1002, null key, null value).
    private static readonly byte[] GzipWrapperV1 = Convert.FromHexString(
        "00000000000000660000005E4A4E2E1C010100000000000003EAFFFFFFFF000000481F8B080000000000020363608003F1AED497" +
        "B98C500EF38BFF40006430264245403212F6DBB518E14A5E8244B341441254880988C53A184EAE87AB79F51F0A00DB84F83F69000000");

    // The same inner set in a LogAppendTime wrapper stamped 5555.
    private static readonly byte[] GzipWrapperV1LogAppend = Convert.FromHexString(
        "00000000000000660000005E89CC7491010900000000000015B3FFFFFFFF000000481F8B080000000000020363608003F1AED497" +
        "B98C500EF38BFF40006430264245403212F6DBB518E14A5E8244B341441254880988C53A184EAE87AB79F51F0A00DB84F83F69000000");

    // magic 0 gzip wrapper at offset 51 holding absolute offsets 50 ("x") and 51 ("y").
    private static readonly byte[] GzipWrapperV0 = Convert.FromHexString(
        "00000000000000330000004280F729B20001FFFFFFFF000000341F8B0800000000000203636000032320E637DD32E91303C37F" +
        "2000F2182B20320CC62029A7CD8B52105295008251383C36000000");

    public static TheoryData<byte, CompressionType> MagicsAndCodecs()
    {
        var data = new TheoryData<byte, CompressionType>();
        foreach (byte magic in new byte[] { 0, 1 })
        {
            foreach (CompressionType type in new[] { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
            {
                data.Add(magic, type);
            }
        }

        return data;
    }

    [Fact]
    public void ReadDecodesFieldsWhenMessageIsMagicZero()
    {
        LegacyMessage message = LegacyMessage.Read(PlainV0);

        Assert.Equal(7, message.Offset);
        Assert.Equal(0, message.Magic);
        Assert.Equal(CompressionType.None, message.Compression);
        Assert.Equal(TimestampType.None, message.TimestampType);
        Assert.Equal(-1, message.Timestamp);
        Assert.Equal("key"u8.ToArray(), message.Key.ToArray());
        Assert.Equal("value"u8.ToArray(), message.Value.ToArray());
    }

    [Fact]
    public void ReadDecodesFieldsWhenMessageIsMagicOne()
    {
        LegacyMessage message = LegacyMessage.Read(PlainV1);

        Assert.Equal(8, message.Offset);
        Assert.Equal(1, message.Magic);
        Assert.Equal(TimestampType.CreateTime, message.TimestampType);
        Assert.Equal(1700000000000, message.Timestamp);
        Assert.True(message.IsKeyNull);
        Assert.Equal("v1"u8.ToArray(), message.Value.ToArray());
    }

    [Fact]
    public void BuilderWritesHandBuiltBytesWhenGivenSameFields()
    {
        var v0 = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessage(v0, 0, 7, 0, "key"u8, false, "value"u8, false);
        var v1 = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessage(v1, 1, 8, 1700000000000, default, true, "v1"u8, false);

        Assert.Equal(PlainV0, v0.WrittenSpan.ToArray());
        Assert.Equal(PlainV1, v1.WrittenSpan.ToArray());
    }

    [Fact]
    public void ReadThrowsWhenAnyBitIsFlippedAfterCrcField()
    {
        for (int i = LegacyMessage.MagicOffset; i < PlainV1.Length; i++)
        {
            byte[] flipped = (byte[])PlainV1.Clone();
            flipped[i] ^= 0x04;
            Assert.ThrowsAny<KafkaProtocolException>(() => LegacyMessage.Read(flipped));
        }
    }

    [Fact]
    public void ReaderResolvesRelativeOffsetsWhenWrapperIsMagicOne()
    {
        List<Copy> messages = ReadAll(GzipWrapperV1);

        Assert.Equal([100L, 101L, 102L], messages.Select(m => m.Offset));
        Assert.Equal([1000L, 1001L, 1002L], messages.Select(m => m.Timestamp));
        Assert.All(messages, m => Assert.Equal(TimestampType.CreateTime, m.Type));
        Assert.Null(messages[0].Key);
        Assert.Equal("a"u8.ToArray(), messages[0].Value);
        Assert.Equal("k"u8.ToArray(), messages[1].Key);
        Assert.Null(messages[2].Value);
    }

    [Fact]
    public void ReaderKeepsRelativeOffsetsWhenMagicOneWrapperOffsetIsZero()
    {
        // librdkafka-style produce data: the wrapper carries offset 0 instead of the last inner offset.
        byte[] wrapper = (byte[])GzipWrapperV1.Clone();
        BinaryPrimitives.WriteInt64BigEndian(wrapper, 0);

        Assert.Equal([0L, 1L, 2L], ReadAll(wrapper).Select(m => m.Offset));
    }

    [Fact]
    public void ReaderThrowsWhenMagicOneWrapperOffsetIsBelowLastInnerOffset()
    {
        byte[] wrapper = (byte[])GzipWrapperV1.Clone();
        BinaryPrimitives.WriteInt64BigEndian(wrapper, 1);

        Assert.Throws<CorruptRecordException>(() => ReadAll(wrapper));
    }

    [Fact]
    public void ReaderUsesWrapperTimestampWhenWrapperIsLogAppendTime()
    {
        List<Copy> messages = ReadAll(GzipWrapperV1LogAppend);

        Assert.All(messages, m => Assert.Equal(5555, m.Timestamp));
        Assert.All(messages, m => Assert.Equal(TimestampType.LogAppendTime, m.Type));
    }

    [Fact]
    public void ReaderKeepsAbsoluteOffsetsWhenWrapperIsMagicZero()
    {
        List<Copy> messages = ReadAll(GzipWrapperV0);

        Assert.Equal([50L, 51L], messages.Select(m => m.Offset));
        Assert.Equal(["x"u8.ToArray(), "y"u8.ToArray()], messages.Select(m => m.Value));
        Assert.All(messages, m => Assert.Equal(-1, m.Timestamp));
    }

    [Fact]
    public void ReaderYieldsPlainAndWrappedMessagesInOrderWhenMixed()
    {
        byte[] set = [.. PlainV0, .. PlainV1, .. GzipWrapperV1];

        Assert.Equal([7L, 8L, 100L, 101L, 102L], ReadAll(set).Select(m => m.Offset));
    }

    [Theory]
    [MemberData(nameof(MagicsAndCodecs))]
    public void ReaderRoundTripsWrapperWhenBuiltWithEachCodec(byte magic, CompressionType compression)
    {
        // Under magic 0, LZ4 gets the broken pre-KIP-57 descriptor checksum, which the reader must tolerate.
        var output = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteCompressedMessageSet(output, magic, compression, 1000, Messages(50));

        List<Copy> messages = ReadAll(output.WrittenSpan.ToArray());

        Assert.Equal(Enumerable.Range(1000, 50).Select(i => (long)i), messages.Select(m => m.Offset));
        Assert.Equal(magic == 0 ? -1 : 10_049, messages[^1].Timestamp);
        Assert.Equal("value-49"u8.ToArray(), messages[^1].Value);
        Assert.Null(messages[0].Key);
    }

    [Fact]
    public void ReaderThrowsProtocolExceptionWhenSetIsTruncatedAtAnyLength()
    {
        byte[] set = [.. PlainV0, .. GzipWrapperV1, .. PlainV1];
        int[] boundaries = [PlainV0.Length, PlainV0.Length + GzipWrapperV1.Length];
        for (int length = 1; length < set.Length; length++)
        {
            if (boundaries.Contains(length))
            {
                continue;
            }

            byte[] cut = set[..length];
            Assert.ThrowsAny<KafkaProtocolException>(() => ReadAll(cut));
        }
    }

    [Fact]
    public void ReaderThrowsWhenWrapperHoldsCompressedInnerMessage()
    {
        var inner = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteCompressedMessageSet(inner, 1, CompressionType.Gzip, 0, Messages(2));
        using var compressed = new KafkaSharp.Protocol.Compression.PooledBufferWriter();
        KafkaSharp.Protocol.Compression.CompressionCodecs.Gzip.Compress(inner.WrittenSpan, compressed);
        var outer = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessage(outer, 1, 1, 0, default, true, compressed.WrittenSpan, false, CompressionType.Gzip);

        Assert.Throws<CorruptRecordException>(() => ReadAll(outer.WrittenSpan.ToArray()));
    }

    [Fact]
    public void ReaderThrowsWhenInnerMessageIsCorrupt()
    {
        var inner = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessageSet(inner, 1, 0, Messages(2));
        byte[] innerBytes = inner.WrittenSpan.ToArray();
        innerBytes[^1] ^= 1; // breaks the inner CRC
        using var compressed = new KafkaSharp.Protocol.Compression.PooledBufferWriter();
        KafkaSharp.Protocol.Compression.CompressionCodecs.Gzip.Compress(innerBytes, compressed);
        var outer = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteMessage(outer, 1, 1, 0, default, true, compressed.WrittenSpan, false, CompressionType.Gzip);

        Assert.Throws<CorruptRecordException>(() => ReadAll(outer.WrittenSpan.ToArray()));
    }

    [Fact]
    public void ReaderThrowsWhenSizeFieldDisagreesWithKeyAndValue()
    {
        byte[] message = (byte[])PlainV0.Clone();
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(26), 1000); // value length far beyond the message
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(12), Crc32Ieee.Compute(message.AsSpan(16)));

        Assert.Throws<CorruptRecordException>(() => ReadAll(message));
    }

    [Fact]
    public void ReaderThrowsWhenWrapperDecompressesBeyondCap()
    {
        var output = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteCompressedMessageSet(
            output, 1, CompressionType.Gzip, 0, [new LegacyMessageData(1, null, new byte[4 << 20])]);

        Assert.ThrowsAny<KafkaProtocolException>(() =>
        {
            using var reader = new LegacyMessageSetReader(output.WrittenSpan, maxDecompressedBytes: 1 << 20);
            reader.TryReadNext(out _);
        });
    }

    [Fact]
    public void ReaderThrowsOnlyProtocolExceptionsWhenWrapperBytesAreScrambledAndCrcRecomputed()
    {
        var output = new ArrayBufferWriter<byte>();
        LegacyMessageBuilder.WriteCompressedMessageSet(output, 1, CompressionType.Snappy, 0, Messages(5));
        byte[] set = output.WrittenSpan.ToArray();
        var random = new Random(11);
        for (int i = RecordBatchHeader.LengthOffset; i < set.Length; i++)
        {
            byte[] damaged = (byte[])set.Clone();
            damaged[i] = (byte)random.Next(256);
            if (i >= LegacyMessage.MagicOffset)
            {
                BinaryPrimitives.WriteUInt32BigEndian(damaged.AsSpan(LegacyMessage.CrcOffset), Crc32Ieee.Compute(damaged.AsSpan(LegacyMessage.MagicOffset)));
            }

            try
            {
                ReadAll(damaged);
            }
            catch (KafkaProtocolException)
            {
                // Expected for most damage; some (inside a value) leaves a valid set.
            }
        }
    }

    [Fact]
    public void ConverterWritesEquivalentBatchWhenSetMixesPlainAndCompressed()
    {
        byte[] set = [.. PlainV1, .. GzipWrapperV1];
        var output = new ArrayBufferWriter<byte>();

        int count = LegacyMessageConverter.ToRecordBatch(set, output, CompressionType.Lz4);

        Assert.Equal(4, count);
        using RecordBatchReader batch = RecordBatchReader.Open(output.WrittenSpan);
        Assert.Equal(CompressionType.Lz4, batch.Header.Compression);
        Assert.Equal(8, batch.Header.BaseOffset);
        Assert.Equal(TimestampType.CreateTime, batch.Header.TimestampType);
        Assert.Equal(1700000000000, batch.Header.MaxTimestamp);
        Assert.True(batch.OffsetsAreContiguous);
        var offsets = new List<long>();
        var timestamps = new List<long>();
        var values = new List<byte[]?>();
        foreach (Record record in batch)
        {
            offsets.Add(record.Offset);
            timestamps.Add(record.Timestamp);
            values.Add(record.IsValueNull ? null : record.Value.ToArray());
            Assert.Equal(0, record.HeaderCount);
        }

        Assert.Equal([8L, 9L, 10L, 11L], offsets);
        Assert.Equal([1700000000000L, 1000L, 1001L, 1002L], timestamps);
        Assert.Equal(["v1"u8.ToArray(), "a"u8.ToArray(), "b"u8.ToArray(), null], values);
    }

    [Fact]
    public void ConverterWritesNoTimestampWhenMessagesAreMagicZero()
    {
        var output = new ArrayBufferWriter<byte>();

        LegacyMessageConverter.ToRecordBatch(GzipWrapperV0, output);

        using RecordBatchReader batch = RecordBatchReader.Open(output.WrittenSpan);
        Assert.Equal(50, batch.Header.BaseOffset);
        Assert.Equal(-1, batch.Header.MaxTimestamp);
        foreach (Record record in batch)
        {
            Assert.Equal(-1, record.Timestamp);
        }
    }

    [Fact]
    public void ConverterMarksBatchLogAppendTimeWhenEveryMessageIs()
    {
        var output = new ArrayBufferWriter<byte>();

        LegacyMessageConverter.ToRecordBatch(GzipWrapperV1LogAppend, output);

        using RecordBatchReader batch = RecordBatchReader.Open(output.WrittenSpan);
        Assert.Equal(TimestampType.LogAppendTime, batch.Header.TimestampType);
        foreach (Record record in batch)
        {
            Assert.Equal(5555, record.Timestamp);
        }
    }

    [Fact]
    public void ConverterThrowsWhenSetIsEmpty() =>
        Assert.Throws<CorruptRecordException>(() => LegacyMessageConverter.ToRecordBatch([], new ArrayBufferWriter<byte>()));

    private static List<LegacyMessageData> Messages(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new LegacyMessageData(10_000 + i, i == 0 ? null : "k"u8.ToArray(), System.Text.Encoding.ASCII.GetBytes($"value-{i}")))
            .ToList();

    private static List<Copy> ReadAll(byte[] set)
    {
        var list = new List<Copy>();
        using var reader = new LegacyMessageSetReader(set);
        while (reader.TryReadNext(out LegacyMessage message))
        {
            list.Add(new Copy(
                message.Offset,
                message.Timestamp,
                message.TimestampType,
                message.IsKeyNull ? null : message.Key.ToArray(),
                message.IsValueNull ? null : message.Value.ToArray()));
        }

        return list;
    }

    private sealed record Copy(long Offset, long Timestamp, TimestampType Type, byte[]? Key, byte[]? Value);
}
