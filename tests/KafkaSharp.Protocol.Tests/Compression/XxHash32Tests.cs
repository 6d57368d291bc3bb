using System.Text;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Tests.Compression;

public class XxHash32Tests
{
    [Theory]
    [InlineData("", 0x02CC5D05u)]
    [InlineData("a", 0x550D7456u)]
    [InlineData("abc", 0x32D153FFu)]
    [InlineData("Nobody inspects the spammish repetition", 0xE2293B2Fu)]
    public void HashMatchesReferenceWhenSeedIsZero(string input, uint expected) =>
        Assert.Equal(expected, XxHash32.Hash(Encoding.ASCII.GetBytes(input)));
}
