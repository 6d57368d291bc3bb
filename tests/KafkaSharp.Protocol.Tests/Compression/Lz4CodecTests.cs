using System.Buffers.Binary;
using System.Text;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

public class Lz4CodecTests
{
    private static readonly Lz4Codec Codec = new();

    [Fact]
    public void DecompressReadsFrameWhenWrittenByLz4Tool()
    {
        byte[] original = CodecTestData.Compressible(200_000);
        byte[] frame = CodecTestData.RunTool("lz4", "-c -q", original);

        using var output = new PooledBufferWriter();
        Codec.Decompress(frame, output, original.Length);

        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Fact]
    public void CompressWritesFrameWhenLz4ToolDecodesIt()
    {
        byte[] original = CodecTestData.Compressible(200_000);
        using var compressed = new PooledBufferWriter();
        Codec.Compress(original, compressed);

        byte[] decoded = CodecTestData.RunTool("lz4", "-d -c -q", compressed.WrittenSpan.ToArray());

        Assert.Equal(original, decoded);
    }

    [Fact]
    public void CompressUsesKafkaFrameSettingsWhenCompressing()
    {
        using var compressed = new PooledBufferWriter();
        Codec.Compress(CodecTestData.Compressible(1000), compressed);
        ReadOnlySpan<byte> frame = compressed.WrittenSpan;

        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(0x60, frame[4]); // version 01, independent blocks, no checksums, no content size
        Assert.Equal(0x40, frame[5]); // 64 KB maximum block size
        Assert.Equal((byte)(XxHash32.Hash(frame.Slice(4, 2)) >> 8), frame[6]);
    }

    [Fact]
    public void DecompressReadsHandBuiltFrameWhenBlockIsStored()
    {
        byte[] text = Encoding.ASCII.GetBytes("kafka");
        byte hc = (byte)(XxHash32.Hash([0x60, 0x40]) >> 8);
        byte[] frame =
        [
            0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, hc,
            0x05, 0x00, 0x00, 0x80, .. text, // high bit: stored (uncompressed) block of 5 bytes
            0, 0, 0, 0,
        ];

        using var output = new PooledBufferWriter();
        Codec.Decompress(frame, output, 100);

        Assert.Equal("kafka", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void DecompressThrowsWhenDescriptorChecksumIsBroken()
    {
        byte[] frame = CompressedWithBrokenChecksum(out _);

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(frame, output, 1 << 20));
    }

    [Fact]
    public void DecompressLegacyIgnoresBrokenChecksumWhenMagicIsZero()
    {
        byte[] frame = CompressedWithBrokenChecksum(out byte[] original);

        using var output = new PooledBufferWriter();
        Codec.DecompressLegacy(frame, output, 1 << 20, magic: 0);

        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Fact]
    public void DecompressLegacyChecksDescriptorWhenMagicIsOne()
    {
        byte[] frame = CompressedWithBrokenChecksum(out _);

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.DecompressLegacy(frame, output, 1 << 20, magic: 1));
    }

    [Fact]
    public void DecompressThrowsWhenFrameIsCutBeforeEndMark()
    {
        using var compressed = new PooledBufferWriter();
        Codec.Compress(CodecTestData.Compressible(1000), compressed);
        byte[] cut = compressed.WrittenSpan[..^4].ToArray();

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(cut, output, 1 << 20));
    }

    private static byte[] CompressedWithBrokenChecksum(out byte[] original)
    {
        original = CodecTestData.Compressible(3000);
        using var compressed = new PooledBufferWriter();
        Codec.Compress(original, compressed);
        byte[] frame = compressed.WrittenSpan.ToArray();
        Lz4Codec.BreakDescriptorChecksum(frame);
        Assert.NotEqual((byte)(XxHash32.Hash(frame.AsSpan(4, 2)) >> 8), frame[6]);
        return frame;
    }
}
