using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Primitives;

public class KafkaWriterTests
{
    [Theory]
    [MemberData(nameof(PrimitiveCases.Theory), MemberType = typeof(PrimitiveCases))]
    public void WriteProducesSameBytesWhenOutputHandsOutMinimalSpans(PrimitiveCase item)
    {
        byte[] expected = Bytes.Written(item.Write);
        var stingy = new StingyBufferWriter();

        var writer = new KafkaWriter(stingy);
        item.Write(ref writer);
        writer.Flush();

        Assert.Equal(expected, stingy.ToArray());
        Assert.Equal(expected.Length, writer.BytesWritten);
    }

    [Fact]
    public void BytesWrittenCountsBufferedBytesWhenNotYetFlushed()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);

        writer.WriteInt32(1);
        writer.WriteInt16(2);

        Assert.Equal(6, writer.BytesWritten);
        Assert.Equal(0, output.WrittenCount);
        writer.Flush();
        Assert.Equal(6, output.WrittenCount);
    }

    [Fact]
    public void WriteIntegersUseBigEndianWhenWritten()
    {
        byte[] written = Bytes.Written((ref KafkaWriter w) =>
        {
            w.WriteInt16(0x0102);
            w.WriteInt32(0x03040506);
            w.WriteInt64(0x0708090A0B0C0D0E);
            w.WriteUuid(new Guid("00112233-4455-6677-8899-aabbccddeeff"));
        });

        Assert.Equal(Bytes.Hex("0102 03040506 0708090A0B0C0D0E 00112233445566778899AABBCCDDEEFF"), written);
    }

    [Fact]
    public void WriteStringsUseDocumentedLengthPrefixesWhenNullOrEmpty()
    {
        byte[] written = Bytes.Written((ref KafkaWriter w) =>
        {
            w.WriteNullableString(null);      // int16 -1
            w.WriteString("");                 // int16 0
            w.WriteCompactNullableString(null); // varint 0
            w.WriteCompactString("ab");        // varint 3, then the bytes
            w.WriteNullableBytes(null);        // int32 -1
            w.WriteCompactNullableBytes(null); // varint 0
            w.WriteCompactArrayLength(-1);     // varint 0
            w.WriteCompactArrayLength(2);      // varint 3
        });

        Assert.Equal(Bytes.Hex("FFFF 0000 00 03 6162 FFFFFFFF 00 00 03"), written);
    }

    [Fact]
    public void WriteNullableStringThrowsWhenLongerThanInt16Length()
    {
        string tooLong = new('x', short.MaxValue + 1);
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<KafkaProtocolException>(() => new KafkaWriter(output).WriteString(tooLong));
        Assert.Throws<KafkaProtocolException>(() => new KafkaWriter(output).WriteCompactString(tooLong));
    }

    [Fact]
    public void ReadCompactStringThrowsWhenLongerThanInt16Length()
    {
        // Kafka rejects a compact string over 0x7fff bytes on read, even though its varint length could say more.
        byte[] fits = Bytes.Written((ref KafkaWriter w) => w.WriteCompactString(new string('x', short.MaxValue)));
        byte[] tooLong = [.. Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarInt(short.MaxValue + 2)), .. new byte[short.MaxValue + 1]];

        Assert.Equal(short.MaxValue, new KafkaReader(new ReadOnlySequence<byte>(fits)).ReadCompactString().Length);
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(new ReadOnlySequence<byte>(tooLong)).ReadCompactNullableString());
    }

    [Fact]
    public void WriteNullableStringAcceptsStringWhenExactlyInt16MaxBytes()
    {
        string longest = new('x', short.MaxValue);

        byte[] written = Bytes.Written((ref KafkaWriter w) => w.WriteString(longest));

        Assert.Equal(2 + short.MaxValue, written.Length);
        Assert.Equal(longest, new KafkaReader(written).ReadString());
    }

    [Fact]
    public void WriteStringThrowsProtocolExceptionWhenNonNullableValueIsNull()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<KafkaProtocolException>(() => new KafkaWriter(output).WriteString(null!));
        Assert.Throws<KafkaProtocolException>(() => new KafkaWriter(output).WriteCompactString(null!));
    }

    [Fact]
    public void ReserveReturnsSlotThatLandsInOutputWhenFilledBeforeNextWrite()
    {
        byte[] written = Bytes.Written((ref KafkaWriter w) =>
        {
            w.WriteInt8(1);
            Span<byte> slot = w.Reserve(3);
            slot[0] = 2;
            slot[1] = 3;
            slot[2] = 4;
            w.WriteInt8(5);
        });

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, written);
    }

    [Fact]
    public void WriteRawKeepsOrderWhenLargeBlockFollowsBufferedBytes()
    {
        byte[] large = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

        byte[] written = Bytes.Written((ref KafkaWriter w) =>
        {
            w.WriteInt8(-1);
            w.WriteRaw(large);
            w.WriteInt8(-2);
            w.WriteRaw(Segments.Split(large, 1, 100, 4000));
        });

        Assert.Equal([0xFF, .. large, 0xFE, .. large], written);
    }

    /// <summary>
    /// Hands out exactly the size asked for, in a fresh array each time, and only keeps what was advanced over:
    /// a writer that wrote past its span or advanced by the wrong count produces visibly wrong output.
    /// </summary>
    private sealed class StingyBufferWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _committed = [];
        private byte[] _current = [];

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _current.Length);
            _committed.AddRange(_current.AsSpan(0, count));
            _current = [];
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            _current = new byte[Math.Max(sizeHint, 1)];
            Array.Fill(_current, (byte)0xCC);
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _committed];
    }
}
