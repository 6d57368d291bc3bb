using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Records;

public class RecordSetReaderTests
{
    private static byte[] ThreeBatches(out int[] sizes)
    {
        byte[] a = BatchTestData.Simple(2, baseOffset: 0);
        byte[] b = BatchTestData.Simple(3, CompressionType.Gzip, baseOffset: 2);
        byte[] c = BatchTestData.Simple(4, baseOffset: 5);
        sizes = [a.Length, b.Length, c.Length];
        return [.. a, .. b, .. c];
    }

    [Fact]
    public void TryReadNextYieldsEachBatchWhenBatchesAreBackToBack()
    {
        byte[] records = ThreeBatches(out int[] sizes);
        var reader = new RecordSetReader(records);

        var offsets = new List<long>();
        var lengths = new List<int>();
        while (reader.TryReadNext(out RecordSetEntry entry))
        {
            Assert.True(entry.IsBatch);
            offsets.Add(entry.Offset);
            lengths.Add(entry.Data.Length);
            using RecordBatchReader batch = RecordBatchReader.Open(entry.Data);
            Assert.Equal(entry.Offset, batch.Header.BaseOffset);
        }

        Assert.Equal([0L, 2L, 5L], offsets);
        Assert.Equal(sizes, lengths);
        Assert.False(reader.HasPartialTail);
    }

    [Fact]
    public void TryReadNextReportsPartialTailWhenAllowedAndLastBatchIsCut()
    {
        byte[] records = ThreeBatches(out int[] sizes);
        int complete = sizes[0] + sizes[1];
        for (int length = complete + 1; length < records.Length; length++)
        {
            var reader = new RecordSetReader(records.AsSpan(0, length), allowPartialTail: true);
            int count = 0;
            while (reader.TryReadNext(out _))
            {
                count++;
            }

            Assert.Equal(2, count);
            Assert.True(reader.HasPartialTail);
            Assert.Equal(length - complete, reader.PartialTailLength);
            Assert.Equal(complete, reader.Consumed);
        }
    }

    [Fact]
    public void TryReadNextThrowsWhenPartialTailIsNotAllowed()
    {
        byte[] records = ThreeBatches(out int[] sizes);
        int[] boundaries = [sizes[0], sizes[0] + sizes[1]];
        for (int length = 1; length < records.Length; length++)
        {
            if (boundaries.Contains(length))
            {
                continue; // a cut between batches leaves a valid, shorter set
            }

            byte[] cut = records[..length];
            Assert.ThrowsAny<KafkaProtocolException>(() =>
            {
                var reader = new RecordSetReader(cut);
                while (reader.TryReadNext(out _))
                {
                }
            });
        }
    }

    [Fact]
    public void TryReadNextReturnsFalseWhenRecordsAreEmpty()
    {
        var reader = new RecordSetReader([], allowPartialTail: true);

        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.HasPartialTail);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(13)]
    public void TryReadNextThrowsWhenSizeFieldIsBelowMinimumEvenIfPartialAllowed(int size)
    {
        byte[] records = BatchTestData.Simple(2);
        BinaryPrimitives.WriteInt32BigEndian(records.AsSpan(RecordBatchHeader.LengthOffset), size);

        Assert.Throws<CorruptRecordException>(() =>
        {
            var reader = new RecordSetReader(records, allowPartialTail: true);
            reader.TryReadNext(out _);
        });
    }

    [Fact]
    public void TryReadNextThrowsWhenMagicIsUnknown()
    {
        byte[] records = BatchTestData.Simple(2);
        records[RecordBatchHeader.MagicOffset] = 3;

        Assert.Throws<CorruptRecordException>(() =>
        {
            var reader = new RecordSetReader(records);
            reader.TryReadNext(out _);
        });
    }

    [Fact]
    public void SequenceReaderYieldsSameBatchesWhenSplitIntoSegments()
    {
        byte[] records = ThreeBatches(out int[] sizes);
        for (int split = 1; split < records.Length; split += 13)
        {
            var reader = new RecordSetSequenceReader(BatchTestData.Segmented(records, split, split + 50));
            var lengths = new List<int>();
            long records2 = 0;
            while (reader.TryReadNext(out ReadOnlySequence<byte> entry, out byte magic))
            {
                Assert.Equal(2, magic);
                lengths.Add((int)entry.Length);
                using RecordBatchReader batch = RecordBatchReader.Open(entry);
                records2 += batch.Header.RecordCount;
            }

            Assert.Equal(sizes, lengths);
            Assert.Equal(9, records2);
        }
    }

    [Fact]
    public void SequenceReaderReportsPartialTailWhenAllowed()
    {
        byte[] records = ThreeBatches(out int[] sizes);
        byte[] cut = records[..^10];
        var reader = new RecordSetSequenceReader(BatchTestData.Segmented(cut, 40, 200), allowPartialTail: true);
        int count = 0;
        while (reader.TryReadNext(out _, out _))
        {
            count++;
        }

        Assert.Equal(2, count);
        Assert.Equal(sizes[2] - 10, reader.PartialTailLength);
    }

    [Fact]
    public void SequenceReaderThrowsWhenTailIsPartialAndNotAllowed()
    {
        byte[] records = ThreeBatches(out _)[..^1];

        Assert.ThrowsAny<KafkaProtocolException>(() =>
        {
            var reader = new RecordSetSequenceReader(BatchTestData.Segmented(records, 100));
            while (reader.TryReadNext(out _, out _))
            {
            }
        });
    }
}
