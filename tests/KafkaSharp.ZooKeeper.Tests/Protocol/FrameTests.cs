using System.Buffers;
using KafkaSharp.ZooKeeper.Connection;
using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Protocol;

public sealed class FrameTests
{
    [Fact]
    public void TryReadFrameCutsTwoFramesWhenSplitAtEveryOffset()
    {
        byte[] bytes = Bytes.Hex("00000002 aabb | 00000001 cc | 0000");
        for (int at = 0; at <= bytes.Length; at++)
        {
            ReadOnlySequence<byte> buffer = Bytes.Split(bytes, at);

            Assert.True(ZooKeeperConnection.TryReadFrame(ref buffer, 100, out ReadOnlySequence<byte> first));
            Assert.True(ZooKeeperConnection.TryReadFrame(ref buffer, 100, out ReadOnlySequence<byte> second));
            Assert.False(ZooKeeperConnection.TryReadFrame(ref buffer, 100, out _));

            Assert.Equal(Bytes.Hex("aabb"), first.ToArray());
            Assert.Equal(Bytes.Hex("cc"), second.ToArray());
            Assert.Equal(2, buffer.Length);
        }
    }

    [Fact]
    public void TryReadFrameWaitsWhenTruncatedAtEveryLength()
    {
        byte[] bytes = Bytes.Hex("00000003 aabbcc");
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(ZooKeeperConnection.TryReadFrame(ref buffer, 100, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryReadFrameThrowsWhenLengthExceedsMaximum()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Hex("00000065"));

        Assert.Throws<JuteException>(() => ZooKeeperConnection.TryReadFrame(ref buffer, 100, out _));
    }

    [Fact]
    public void TryReadFrameThrowsWhenLengthIsNegative()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Hex("ffffffff"));

        Assert.Throws<JuteException>(() => ZooKeeperConnection.TryReadFrame(ref buffer, 100, out _));
    }
}
