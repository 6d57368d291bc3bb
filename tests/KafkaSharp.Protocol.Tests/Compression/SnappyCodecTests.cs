using System.Buffers.Binary;
using System.Text;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

public class SnappyCodecTests
{
    private static readonly SnappyCodec Codec = new();

    // A raw snappy block for "hello": length uvarint 5, literal tag (length-1)<<2, the bytes.
    private static readonly byte[] RawHello = [0x05, 0x10, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'];

    [Fact]
    public void CompressWritesXerialFramingWhenCompressing()
    {
        using var output = new PooledBufferWriter();
        Codec.Compress(CodecTestData.Compressible(100_000), output);

        ReadOnlySpan<byte> frame = output.WrittenSpan;
        Assert.True(SnappyCodec.IsXerialFramed(frame));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(frame[8..]));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(frame[12..]));

        // 100,000 bytes in 32 KB blocks: four blocks, each length-prefixed.
        int blocks = 0;
        ReadOnlySpan<byte> rest = frame[16..];
        while (!rest.IsEmpty)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(rest);
            rest = rest[(4 + length)..];
            blocks++;
        }

        Assert.Equal(4, blocks);
    }

    [Fact]
    public void DecompressReadsRawBlockWhenNotXerialFramed()
    {
        using var output = new PooledBufferWriter();
        int written = Codec.Decompress(RawHello, output, 100);

        Assert.Equal(5, written);
        Assert.Equal("hello", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void DecompressReadsHandBuiltXerialFrameWhenItHasTwoBlocks()
    {
        byte[] frame =
        [
            0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0,
            0, 0, 0, 1, 0, 0, 0, 1,
            0, 0, 0, 7, .. RawHello,
            0, 0, 0, 7, .. RawHello,
        ];

        using var output = new PooledBufferWriter();
        Codec.Decompress(frame, output, 100);

        Assert.Equal("hellohello", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void DecompressReadsRawBlockWhenLibrdkafkaStyleCompressed()
    {
        byte[] original = CodecTestData.Compressible(50_000);
        using var raw = new PooledBufferWriter();
        SnappyCodec.CompressRaw(original, raw);
        Assert.False(SnappyCodec.IsXerialFramed(raw.WrittenSpan));

        using var output = new PooledBufferWriter();
        Codec.Decompress(raw.WrittenSpan, output, original.Length);

        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Fact]
    public void DecompressThrowsWhenBlockClaimsHugeLengthFromFewBytes()
    {
        // Declares 2^31 - 1 bytes of output from a 6-byte block: must be refused before anything is allocated.
        byte[] bomb = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00];

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(bomb, output, int.MaxValue));
    }

    [Fact]
    public void DecompressThrowsWhenXerialBlockLengthOverrunsPayload()
    {
        byte[] frame =
        [
            0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0,
            0, 0, 0, 1, 0, 0, 0, 1,
            0, 0, 0, 99, .. RawHello,
        ];

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(frame, output, 100));
    }

    [Fact]
    public void DecompressThrowsWhenXerialBlocksTogetherExceedCap()
    {
        byte[] frame =
        [
            0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0,
            0, 0, 0, 1, 0, 0, 0, 1,
            0, 0, 0, 7, .. RawHello,
            0, 0, 0, 7, .. RawHello,
        ];

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(frame, output, 9));
    }
}
