using System.Text;
using KafkaSharp.Interop.Clients;
using KafkaSharp.Interop.Scenarios;

namespace KafkaSharp.Interop.Tests;

public sealed class PartitionersTests
{
    [Theory]
    // Kafka's own murmur2 test vectors (org.apache.kafka.common.utils.UtilsTest).
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2MatchesKafkaWhenGivenItsTestVectors(string key, int expected) =>
        Assert.Equal(expected, Partitioners.Murmur2(Encoding.ASCII.GetBytes(key)));

    [Fact]
    public void Crc32MatchesTheStandardCheckValue() => Assert.Equal(0xCBF43926u, Partitioners.Crc32("123456789"u8));

    [Fact]
    public void IdentifyNamesTheHashThatExplainsThePlacement()
    {
        string[] keys = ["a", "b", "user-1", "user-2", "user-3"];
        Dictionary<string, int> java = keys.ToDictionary(k => k, k => (Partitioners.Murmur2(Encoding.UTF8.GetBytes(k)) & 0x7fffffff) % 12);
        Dictionary<string, int> crc = keys.ToDictionary(k => k, k => (int)(Partitioners.Crc32(Encoding.UTF8.GetBytes(k)) % 12));

        Assert.Equal("murmur2 (Java-compatible)", Partitioners.Identify(java, 12));
        Assert.Equal("crc32 (librdkafka consistent_random)", Partitioners.Identify(crc, 12));
        Assert.Equal("other", Partitioners.Identify(keys.ToDictionary(k => k, k => 99), 12));
    }
}

public sealed class KcatOutputTests
{
    [Fact]
    public void ParseReadsBinaryKeysValuesNullsAndHeaders()
    {
        byte[] output = [.. "@@1|7|1700000000000|2|3|h1=v1,h1=v2\n"u8, 0x00, 0x0a, 0xff, 0x0a, 0x01, .. "\n"u8,
            .. "@@0|8|1700000000001|-1|0|\n"u8, .. "\n"u8];

        var records = KcatClient.Parse(output);

        Assert.Equal(2, records.Count);
        Assert.Equal("""{"partition":1,"offset":7,"key":"000a","value":"ff0a01","headers":[["h1","7631"],["h1","7632"]],"timestamp":1700000000000}""", records[0]!.ToJsonString());
        Assert.Equal("""{"partition":0,"offset":8,"key":null,"value":"","headers":[],"timestamp":1700000000001}""", records[1]!.ToJsonString());
    }
}

public sealed class MemberAssignmentTests
{
    [Fact]
    public void PartitionsReadsEveryTopicOfAConsumerProtocolAssignment()
    {
        byte[] assignment =
        [
            0, 0, // version
            0, 0, 0, 2, // two topics
            0, 1, (byte)'a', 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 1,
            0, 1, (byte)'b', 0, 0, 0, 1, 0, 0, 0, 3,
            0, 0, 0, 0, // user data (empty)
        ];

        Assert.Equal([1, 3, 5], MemberAssignment.Partitions(assignment));
        Assert.Empty(MemberAssignment.Partitions(null));
    }
}
