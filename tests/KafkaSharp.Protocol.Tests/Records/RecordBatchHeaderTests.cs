using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Records;

public class RecordBatchHeaderTests
{
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 11)]
    public void ReadThrowsWhenLengthWouldOverflowTotalSize(int length)
    {
        byte[] batch = BatchTestData.Simple(1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LengthOffset), length);

        Assert.ThrowsAny<KafkaProtocolException>(() => RecordBatchHeader.Read(batch));
    }

    [Fact]
    public void ReadAcceptsLargestLengthWhenTotalSizeStillFits()
    {
        byte[] batch = BatchTestData.Simple(1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LengthOffset), int.MaxValue - 12);

        Assert.Equal(int.MaxValue, RecordBatchHeader.Read(batch).TotalSize);
    }

    [Fact]
    public void ReadThrowsWhenLengthIsSmallerThanHeader()
    {
        byte[] batch = BatchTestData.Simple(1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LengthOffset), 48);

        Assert.ThrowsAny<KafkaProtocolException>(() => RecordBatchHeader.Read(batch));
    }
}
