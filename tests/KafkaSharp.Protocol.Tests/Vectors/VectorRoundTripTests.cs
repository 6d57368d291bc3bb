using System.Buffers;
using KafkaSharp.Protocol.Tests.Primitives;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// Every well-formed captured frame, request or response: decoded with the generated messages it must
/// re-encode to the captured bytes exactly, decode the same however the bytes are split into segments, and
/// fail as <see cref="KafkaProtocolException"/> when cut short anywhere.
/// </summary>
public class VectorRoundTripTests
{
    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void EncodeReproducesCapturedBytesWhenFrameIsDecoded(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        DecodedFrame decoded = DecodedFrame.Of(vector);

        Assert.Equal(vector.Data, decoded.Encode());
        Assert.Equal(vector.Data.Length, decoded.Size);
    }

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeGivesSameMessageWhenFrameIsSplitAtEveryOffset(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        DecodedFrame expected = DecodedFrame.Of(vector);

        foreach (ReadOnlySequence<byte> split in Segments.EveryTwoWaySplit(vector.Data).Append(Segments.OneBytePerSegment(vector.Data)))
        {
            DecodedFrame decoded = DecodedFrame.Of(vector, split);
            Assert.Equal(expected.Header, decoded.Header);
            Assert.Equal(expected.Body, decoded.Body);
            Assert.Equal(vector.Data, decoded.Encode());
        }
    }

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeThrowsProtocolExceptionWhenFrameIsTruncatedAtAnyLength(string name)
    {
        VectorFile vector = VectorFile.Get(name);

        for (int length = 0; length < vector.Data.Length; length++)
        {
            var truncated = new ReadOnlySequence<byte>(vector.Data, 0, length);
            Assert.Throws<KafkaProtocolException>(() => DecodedFrame.Of(vector, truncated));
        }
    }

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeThrowsProtocolExceptionWhenFrameHasTrailingBytes(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        byte[] longer = [.. vector.Data, 0];

        Assert.Throws<KafkaProtocolException>(() => DecodedFrame.Of(vector, new ReadOnlySequence<byte>(longer)));
    }
}
