using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Primitives;

public class KafkaReaderTests
{
    [Theory]
    [MemberData(nameof(PrimitiveCases.Theory), MemberType = typeof(PrimitiveCases))]
    public void ReadReturnsWrittenValueWhenInputIsOneSegment(PrimitiveCase item)
    {
        byte[] data = Bytes.Written(item.Write);

        var reader = new KafkaReader(data);
        item.Check(ref reader);

        Assert.True(reader.End);
        Assert.Equal(data.Length, reader.Consumed);
    }

    [Theory]
    [MemberData(nameof(PrimitiveCases.Theory), MemberType = typeof(PrimitiveCases))]
    public void ReadReturnsWrittenValueWhenInputIsSplitAtEveryOffset(PrimitiveCase item)
    {
        byte[] data = Bytes.Written(item.Write);

        foreach (ReadOnlySequence<byte> split in Segments.EveryTwoWaySplit(data))
        {
            var reader = new KafkaReader(split);
            item.Check(ref reader);
            Assert.True(reader.End);
        }
    }

    [Fact]
    public void ReadReturnsEveryValueWhenAllPrimitivesAreSplitAtEveryOffset()
    {
        byte[] data = PrimitiveCases.Concatenated();

        foreach (ReadOnlySequence<byte> split in Segments.EveryTwoWaySplit(data))
        {
            PrimitiveCases.ReadAll(split);
        }

        PrimitiveCases.ReadAll(Segments.OneBytePerSegment(data));
        int[] fibonacci = [.. new[] { 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987 }.Where(o => o <= data.Length)];
        PrimitiveCases.ReadAll(Segments.Split(data, fibonacci));
    }

    [Fact]
    public void ReadThrowsProtocolExceptionWhenInputIsTruncatedAtAnyLength()
    {
        byte[] data = PrimitiveCases.Concatenated();

        for (int length = 0; length < data.Length; length++)
        {
            byte[] truncated = data[..length];
            Assert.Throws<KafkaProtocolException>(() => PrimitiveCases.ReadAll(new ReadOnlySequence<byte>(truncated)));
        }

        // The same cut points again with the tail split into single bytes, so every slow path sees the end.
        for (int length = 0; length < data.Length; length += 7)
        {
            byte[] truncated = data[..length];
            Assert.Throws<KafkaProtocolException>(() => PrimitiveCases.ReadAll(Segments.OneBytePerSegment(truncated)));
        }
    }

    [Theory]
    [MemberData(nameof(PrimitiveCases.Theory), MemberType = typeof(PrimitiveCases))]
    public void ReadThrowsProtocolExceptionWhenValueIsTruncatedAtAnyLength(PrimitiveCase item)
    {
        byte[] data = Bytes.Written(item.Write);

        for (int length = 0; length < data.Length; length++)
        {
            Assert.Throws<KafkaProtocolException>(() => ReadCase(item, data.AsMemory(0, length)));
        }
    }

    [Fact]
    public void ReadSliceReturnsSliceOfInputWithoutCopyingWhenLengthFits()
    {
        byte[] data = [1, 2, 3, 4, 5];
        var reader = new KafkaReader(data);
        reader.Skip(1);

        ReadOnlySequence<byte> slice = reader.ReadSlice(3);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(slice.First, out ArraySegment<byte> segment));
        Assert.Same(data, segment.Array);
        Assert.Equal(1, segment.Offset);
        Assert.Equal(5, reader.ReadInt8());
    }

    [Fact]
    public void ReadSubReaderStopsAtItsLengthWhenOuterInputContinues()
    {
        byte[] data = [0, 0, 0, 7, 0, 0, 0, 9];
        var reader = new KafkaReader(data);

        KafkaReader sub = reader.ReadSubReader(4);

        Assert.Equal(7, sub.ReadInt32());
        Assert.True(sub.End);
        Assert.True(ReadOneMoreByteThrows(ref sub));
        Assert.Equal(9, reader.ReadInt32());
    }

    [Fact]
    public void ReadArrayLengthAcceptsCountWhenEqualToRemainingBytes()
    {
        byte[] data = [0, 0, 0, 3, 1, 2, 3];
        var reader = new KafkaReader(data);

        Assert.Equal(3, reader.ReadArrayLength());
    }

    [Fact]
    public void ReadNullableBytesReturnsNullWhenLengthIsMinusOne()
    {
        var reader = new KafkaReader(Bytes.Hex("FF FF FF FF"));

        Assert.Null(reader.ReadNullableBytes());
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadStringThrowsWhenNonNullableFieldIsNull()
    {
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(Bytes.Hex("FF FF")).ReadString());
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(Bytes.Hex("00")).ReadCompactString());
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(Bytes.Hex("FF FF FF FF")).ReadBytes());
        Assert.Throws<KafkaProtocolException>(() => new KafkaReader(Bytes.Hex("00")).ReadCompactBytes());
    }

    [Fact]
    public void ReadUtf8ReplacesInvalidSequencesWhenStringIsNotUtf8()
    {
        // Kafka's Java decoder substitutes U+FFFD for malformed UTF-8 rather than failing the request; a lone
        // continuation byte must not surface as anything other than a string either.
        var reader = new KafkaReader(Bytes.Hex("00 02 41 80"));

        Assert.Equal("A\uFFFD", reader.ReadString());
    }

    private static void ReadCase(PrimitiveCase item, ReadOnlyMemory<byte> data)
    {
        var reader = new KafkaReader(data);
        item.Check(ref reader);
    }

    private static bool ReadOneMoreByteThrows(ref KafkaReader reader)
    {
        try
        {
            reader.ReadInt8();
            return false;
        }
        catch (KafkaProtocolException)
        {
            return true;
        }
    }
}
