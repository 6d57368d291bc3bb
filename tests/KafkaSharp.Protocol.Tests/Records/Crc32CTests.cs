using System.Buffers;
using System.Text;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Records;

public class Crc32CTests
{
    [Fact]
    public void ComputeReturnsCheckValueWhenInputIsStandardDigits() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void ComputeReturnsZeroWhenInputIsEmpty() => Assert.Equal(0u, Crc32C.Compute([]));

    [Fact]
    public void AppendMatchesTableWhenLengthIsEachOfZeroTo1024()
    {
        byte[] data = RandomBytes(1024 + 16, seed: 1);
        for (int length = 0; length <= 1024; length++)
        {
            // A non-trivial running CRC, as a batch continuing a sequence segment passes in.
            uint seed = (uint)length * 0x9E3779B9;
            Assert.Equal(Crc32C.AppendTable(seed, data.AsSpan(0, length)), Crc32C.Append(seed, data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void AppendMatchesTableWhenBufferIsLargeAndUnaligned()
    {
        var random = new Random(2);
        byte[] data = RandomBytes((3 << 20) + 64, seed: 3);
        int[] lengths = [767, 768, 769, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 16 * 1024 + 973, 1 << 20, 3 << 20];
        foreach (int length in lengths)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                int offset = random.Next(0, 64);
                ReadOnlySpan<byte> slice = data.AsSpan(offset, length);
                Assert.Equal(Crc32C.AppendTable(0xFFFFFFFF, slice), Crc32C.Append(0xFFFFFFFF, slice));
            }
        }

        for (int trial = 0; trial < 50; trial++)
        {
            int offset = random.Next(0, 4096);
            ReadOnlySpan<byte> slice = data.AsSpan(offset, random.Next(0, data.Length - offset));
            Assert.Equal(Crc32C.AppendTable(0xFFFFFFFF, slice), Crc32C.Append(0xFFFFFFFF, slice));
        }
    }

    [Fact]
    public void ComputeEqualsContiguousWhenSequenceIsSegmented()
    {
        byte[] data = RandomBytes(200_000, seed: 4);
        var first = new Segment(data.AsMemory(0, 70_001));
        Segment last = first.Append(data.AsMemory(70_001, 3)).Append(data.AsMemory(70_004));

        Assert.Equal(Crc32C.Compute(data), Crc32C.Compute(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Fact]
    public void CarrylessMultiplyMatchesSoftwareWhenInputsAreRandom()
    {
        var random = new Random(5);
        for (int i = 0; i < 10_000; i++)
        {
            uint left = (uint)random.NextInt64(0, 1L << 32);
            uint right = (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(Crc32C.CarrylessMultiplySoftware(left, right), Crc32C.CarrylessMultiply(left, right));
        }
    }

    [Fact]
    public void ShiftEqualsAppendingZerosWhenLengthVaries()
    {
        foreach (int bytes in new[] { 5, 8, 64, 256, 1000 })
        {
            uint crc = 0x12345678;
            Assert.Equal(Crc32C.AppendTable(crc, new byte[bytes]), Crc32C.Shift(crc, Crc32C.XPowModP((8 * bytes) - 33)));
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
