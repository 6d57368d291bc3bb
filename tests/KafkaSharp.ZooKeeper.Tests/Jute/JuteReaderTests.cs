using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Jute;

public sealed class JuteReaderTests
{
    [Fact]
    public void ReadLongReadsAcrossSegmentsWhenSplitAtEveryOffset()
    {
        byte[] bytes = Bytes.Hex("0102030405060708 | 00000003 616263");
        for (int at = 0; at <= bytes.Length; at++)
        {
            var reader = new JuteReader(Bytes.Split(bytes, at));

            Assert.Equal(0x0102030405060708, reader.ReadLong());
            Assert.Equal("abc", reader.ReadString());
            Assert.True(reader.End);
        }
    }

    [Fact]
    public void ReadStringReturnsNullWhenLengthIsMinusOne()
    {
        var reader = new JuteReader(Bytes.Hex("ffffffff"));

        Assert.Null(reader.ReadString());
    }

    [Fact]
    public void ReadBufferThrowsWhenLengthExceedsRemaining()
    {
        byte[] bytes = Bytes.Hex("00000010 0102");

        Assert.Throws<JuteException>(() =>
        {
            var reader = new JuteReader(bytes);
            reader.ReadBuffer();
        });
    }

    [Fact]
    public void ReadBufferThrowsWhenLengthIsBelowMinusOne()
    {
        byte[] bytes = Bytes.Hex("fffffffe");

        Assert.Throws<JuteException>(() =>
        {
            var reader = new JuteReader(bytes);
            reader.ReadBuffer();
        });
    }

    [Fact]
    public void ReadStringVectorThrowsWhenCountCannotFitInRemainingBytes()
    {
        // A count of 2^30 with 4 bytes left must fail before allocating a list that size.
        byte[] bytes = Bytes.Hex("40000000 00000000");

        Assert.Throws<JuteException>(() =>
        {
            var reader = new JuteReader(bytes);
            reader.ReadStringVector();
        });
    }

    [Fact]
    public void ReadIntThrowsWhenTruncatedAtEveryLength()
    {
        byte[] bytes = Bytes.Hex("01020304");
        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] truncated = bytes[..length];
            Assert.Throws<JuteException>(() =>
            {
                var reader = new JuteReader(truncated);
                reader.ReadInt();
            });
        }
    }
}
