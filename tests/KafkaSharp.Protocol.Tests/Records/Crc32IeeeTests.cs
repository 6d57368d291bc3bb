using System.Text;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Records;

public class Crc32IeeeTests
{
    [Fact]
    public void ComputeReturnsCheckValueWhenInputIsStandardDigits() =>
        Assert.Equal(0xCBF43926u, Crc32Ieee.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void ComputeReturnsZeroWhenInputIsEmpty() => Assert.Equal(0u, Crc32Ieee.Compute([]));

    [Fact]
    public void ComputeMatchesBitwiseReferenceWhenLengthVaries()
    {
        var random = new Random(5);
        for (int length = 0; length < 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Bitwise(data), Crc32Ieee.Compute(data));
        }
    }

    [Fact]
    public void AppendEqualsComputeWhenInputIsSplit()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint running = Crc32Ieee.Append(0xFFFFFFFF, data.AsSpan(0, 11));
        running = Crc32Ieee.Append(running, data.AsSpan(11));

        Assert.Equal(0x414FA339u, ~running);
    }

    private static uint Bitwise(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
