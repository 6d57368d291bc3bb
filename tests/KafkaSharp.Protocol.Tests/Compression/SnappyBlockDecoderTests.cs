using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

/// <summary>The allocation-free raw snappy decoder against blocks written by IronSnappy's encoder, and against damage.</summary>
public class SnappyBlockDecoderTests
{
    private static readonly SnappyCodec Codec = new();

    public static TheoryData<int, int> Shapes() => new()
    {
        { 0, 1 }, { 1, 2 }, { 59, 3 }, { 61, 4 }, { 300, 5 }, { 70_000, 6 }, { 200_000, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DecodesWhatIronSnappyEncodes(int size, int seed)
    {
        var random = new Random(seed);
        foreach (byte[] original in new[] { Random(random, size), Repetitive(random, size), CodecTestData.Compressible(size) })
        {
            byte[] raw = IronSnappy.Snappy.Encode(original);

            using var output = new PooledBufferWriter();
            Codec.Decompress(raw, output, original.Length);

            Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
        }
    }

    [Fact]
    public void CopyShorterThanItsOffsetRepeatsThePattern()
    {
        // Declared 10 bytes: literal "ab", then a 1-byte-offset copy of 8 bytes from 2 back.
        byte[] block = [10, 0x04, (byte)'a', (byte)'b', 0x01 | (4 << 2), 2];

        using var output = new PooledBufferWriter();
        Codec.Decompress(block, output, 100);

        Assert.Equal("ababababab"u8.ToArray(), output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 4, 0x01, 0x00 })]                       // copy before any output
    [InlineData(new byte[] { 6, 0x00, (byte)'a', 0x05, 0x05 })]      // copy offset beyond what was written
    [InlineData(new byte[] { 3, 0x08, (byte)'a' })]                  // literal runs past the block
    [InlineData(new byte[] { 2, 0x08, (byte)'a', (byte)'b', (byte)'c' })] // more output than declared
    [InlineData(new byte[] { 5, 0x08, (byte)'a', (byte)'b', (byte)'c' })] // less output than declared
    [InlineData(new byte[] { 9, 0xF0 })]                             // literal length bytes missing
    public void RejectsCorruptBlocks(byte[] block)
    {
        using var output = new PooledBufferWriter();
        Assert.Throws<KafkaProtocolException>(() => Codec.Decompress(block, output, 100));
    }

    [Fact]
    public void DamagedBlocksOnlyEverThrowProtocolExceptions()
    {
        var random = new Random(11);
        byte[] original = Repetitive(random, 5_000);
        byte[] raw = IronSnappy.Snappy.Encode(original);
        for (int length = 0; length < raw.Length; length++)
        {
            AssertDecodesOrRejects(raw[..length], original.Length);
        }

        for (int i = 0; i < 2_000; i++)
        {
            byte[] damaged = (byte[])raw.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            AssertDecodesOrRejects(damaged, original.Length);
        }
    }

    private static void AssertDecodesOrRejects(byte[] block, int cap)
    {
        using var output = new PooledBufferWriter();
        try
        {
            Codec.Decompress(block, output, cap);
        }
        catch (KafkaProtocolException)
        {
        }
    }

    private static byte[] Random(Random random, int size)
    {
        byte[] data = new byte[size];
        random.NextBytes(data);
        return data;
    }

    /// <summary>Short random runs repeated at random distances: copies of every offset width, many overlapping.</summary>
    private static byte[] Repetitive(Random random, int size)
    {
        byte[] data = new byte[size];
        int i = 0;
        while (i < size)
        {
            int run = Math.Min(random.Next(1, 80), size - i);
            if (i > 0 && random.Next(3) > 0)
            {
                int distance = random.Next(1, Math.Min(i, 70_000) + 1);
                for (int j = 0; j < run; j++, i++)
                {
                    data[i] = data[i - distance];
                }
            }
            else
            {
                random.NextBytes(data.AsSpan(i, run));
                i += run;
            }
        }

        return data;
    }
}
