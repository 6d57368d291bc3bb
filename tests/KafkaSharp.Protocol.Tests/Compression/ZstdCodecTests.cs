using System.Text;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

public class ZstdCodecTests
{
    private static readonly ZstdCodec Codec = new();

    [Fact]
    public void DecompressReadsFrameWhenZstdToolStreamedItWithoutContentSize()
    {
        // Piped input leaves the tool without a content size, like Java's zstd-jni stream.
        byte[] original = CodecTestData.Compressible(300_000);
        byte[] frame = CodecTestData.RunTool("zstd", "-c -q --no-content-size", original);
        Assert.Equal(0, frame[4] & 0xE0); // descriptor: no content size field, not single-segment

        using var output = new PooledBufferWriter();
        Codec.Decompress(frame, output, original.Length);

        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Fact]
    public void CompressWritesFrameWhenZstdToolDecodesIt()
    {
        byte[] original = CodecTestData.Compressible(300_000);
        using var compressed = new PooledBufferWriter();
        Codec.Compress(original, compressed);

        byte[] decoded = CodecTestData.RunTool("zstd", "-d -c -q", compressed.WrittenSpan.ToArray());

        Assert.Equal(original, decoded);
    }

    [Fact]
    public void DecompressReadsAllFramesWhenFramesAreConcatenated()
    {
        using var compressed = new PooledBufferWriter();
        Codec.Compress(Encoding.ASCII.GetBytes("first,"), compressed);
        Codec.Compress(Encoding.ASCII.GetBytes("second"), compressed);

        using var output = new PooledBufferWriter();
        Codec.Decompress(compressed.WrittenSpan, output, 100);

        Assert.Equal("first,second", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void DecompressReadsHandBuiltFrameWhenBlockIsRaw()
    {
        // magic | descriptor 0x20 (single segment, 1-byte content size) | size 5 | raw last block of 5 bytes.
        byte[] frame = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x05, 0x29, 0x00, 0x00, .. "kafka"u8];

        using var output = new PooledBufferWriter();
        Codec.Decompress(frame, output, 100);

        Assert.Equal("kafka", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void DecompressRefusesWindowBeyondLimitWhenCapIsSmall()
    {
        // A streamed frame asking for a 128 MB window: with a 1 MB cap the decoder must refuse to allocate it.
        byte[] frame = CodecTestData.RunTool("zstd", "-c -q --no-content-size --long=27", CodecTestData.Compressible(1000));

        using var output = new PooledBufferWriter();
        var error = Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(frame, output, 1 << 20));
        Assert.Contains("memory", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DecompressThrowsWhenFrameIsCut()
    {
        using var compressed = new PooledBufferWriter();
        Codec.Compress(CodecTestData.Random(5000), compressed);
        byte[] cut = compressed.WrittenSpan[..^3].ToArray();

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(cut, output, 1 << 20));
    }

    [Fact]
    public void DecompressThrowsWhenFrameDeclaresContentBeyondCap()
    {
        byte[] original = new byte[1 << 20];
        using var compressed = new PooledBufferWriter();
        Codec.Compress(original, compressed);

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => Codec.Decompress(compressed.WrittenSpan, output, 1000));
        Assert.True(output.WrittenCount <= 1001);
    }
}
