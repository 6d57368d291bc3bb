using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Compression;

public class CompressionCodecTests
{
    public static TheoryData<CompressionType> Codecs =>
        [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    public static TheoryData<CompressionType, int> CodecsAndSizes()
    {
        var data = new TheoryData<CompressionType, int>();
        foreach (CompressionType type in new[] { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
        {
            foreach (int size in new[] { 0, 1, 100, 70_000, 300_000 })
            {
                data.Add(type, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void DecompressReturnsOriginalWhenCompressedByTheSameCodec(CompressionType type, int size)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] original = CodecTestData.Compressible(size);

        using var compressed = new PooledBufferWriter();
        codec.Compress(original, compressed);
        using var output = new PooledBufferWriter();
        int written = codec.Decompress(compressed.WrittenSpan, output, CompressionCodecs.DefaultMaxDecompressedBytes);

        Assert.Equal(original.Length, written);
        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressRoundTripsWhenDataIsIncompressible(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] original = CodecTestData.Random(100_000);

        using var compressed = new PooledBufferWriter();
        codec.Compress(original, compressed);
        using var output = new PooledBufferWriter();
        codec.Decompress(compressed.WrittenSpan, output, original.Length);

        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressThrowsWhenOutputExceedsCap(CompressionType type)
    {
        // 8 MB of zeros shrinks to a few KB: the classic decompression bomb.
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] zeros = new byte[8 * 1024 * 1024];
        using var compressed = new PooledBufferWriter();
        codec.Compress(zeros, compressed);

        using var output = new PooledBufferWriter();
        var error = Assert.ThrowsAny<KafkaProtocolException>(() => codec.Decompress(compressed.WrittenSpan, output, 64 * 1024));
        Assert.Contains("cap", error.Message, StringComparison.Ordinal);
        Assert.True(output.WrittenCount <= 64 * 1024 + 1);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressSucceedsWhenOutputEqualsCap(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] original = CodecTestData.Compressible(10_000);
        using var compressed = new PooledBufferWriter();
        codec.Compress(original, compressed);

        using var output = new PooledBufferWriter();
        Assert.Equal(original.Length, codec.Decompress(compressed.WrittenSpan, output, original.Length));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressThrowsProtocolExceptionWhenPayloadIsGarbage(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] garbage = CodecTestData.Random(1000, seed: 7);

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => codec.Decompress(garbage, output, 1 << 20));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressNeverThrowsOtherExceptionsWhenPayloadIsTruncatedOrFlipped(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] original = CodecTestData.Compressible(5000);
        using var compressed = new PooledBufferWriter();
        codec.Compress(original, compressed);
        byte[] valid = compressed.WrittenSpan.ToArray();

        for (int length = 0; length < valid.Length; length++)
        {
            AssertOnlyProtocolErrors(codec, valid.AsSpan(0, length).ToArray());
        }

        for (int i = 0; i < valid.Length; i++)
        {
            byte[] flipped = (byte[])valid.Clone();
            flipped[i] ^= 0x5A;
            AssertOnlyProtocolErrors(codec, flipped);
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressThrowsWhenPayloadIsCutInHalf(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        using var compressed = new PooledBufferWriter();
        codec.Compress(CodecTestData.Random(20_000), compressed);
        byte[] half = compressed.WrittenSpan[..(compressed.WrittenCount / 2)].ToArray();

        using var output = new PooledBufferWriter();
        Assert.ThrowsAny<KafkaProtocolException>(() => codec.Decompress(half, output, 1 << 20));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void GetThrowsProtocolExceptionWhenTypeIsUnknown(int type) =>
        Assert.Throws<KafkaProtocolException>(() => CompressionCodecs.Get((CompressionType)type));

    [Fact]
    public void GetThrowsWhenTypeIsNone() =>
        Assert.Throws<KafkaProtocolException>(() => CompressionCodecs.Get(CompressionType.None));

    private static void AssertOnlyProtocolErrors(ICompressionCodec codec, byte[] input)
    {
        using var output = new PooledBufferWriter();
        try
        {
            codec.Decompress(input, output, 1 << 20);
        }
        catch (KafkaProtocolException)
        {
            // The expected outcome for damaged input (some damage, e.g. in gzip's header, still decodes).
        }
    }
}
