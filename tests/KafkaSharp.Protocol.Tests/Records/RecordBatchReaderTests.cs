using System.Buffers.Binary;
using System.Text;
using KafkaSharp.Protocol.Records;
using Record = KafkaSharp.Protocol.Records.Record;

namespace KafkaSharp.Protocol.Tests.Records;

public class RecordBatchReaderTests
{
    // Built by hand in Python from the KIP-98 layout (CRC-32C computed there): base offset 1000, leader epoch 7,
    // producer id 42 / epoch 3 / sequence 9, base timestamp 1600000000000, two records:
    //   offset delta 0, ts delta 0, key "k1", value "v1", header h=x
    //   offset delta 1, ts delta 5, null key, null value, header n=null
    private static readonly byte[] HandBuiltBatch = Convert.FromHexString(
        "00000000000003E80000004A0000000702E4251AA800000000000100000174876E800000000174876E8005000000000000002A" +
        "000300000009000000021C000000046B31047631020268027812000A02010102026E01");

    public static TheoryData<CompressionType> AllCompressions =>
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    [Fact]
    public void OpenReadsEveryFieldWhenBatchIsHandBuilt()
    {
        using RecordBatchReader reader = RecordBatchReader.Open(HandBuiltBatch);

        RecordBatchHeader header = reader.Header;
        Assert.Equal(1000, header.BaseOffset);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.Equal(42, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(9, header.BaseSequence);
        Assert.Equal(2, header.RecordCount);
        Assert.Equal(1, header.LastOffsetDelta);
        Assert.True(reader.OffsetsAreContiguous);

        List<RecordCopy> records = RecordCopy.Copy(reader);
        Assert.Equal(2, records.Count);
        Assert.Equal(1000, records[0].Offset);
        Assert.Equal(1600000000000, records[0].Timestamp);
        Assert.Equal("k1"u8.ToArray(), records[0].Key);
        Assert.Equal("v1"u8.ToArray(), records[0].Value);
        (string Key, byte[]? Value) first = Assert.Single(records[0].Headers);
        Assert.Equal("h", first.Key);
        Assert.Equal("x"u8.ToArray(), first.Value);
        Assert.Equal(1001, records[1].Offset);
        Assert.Equal(1600000000005, records[1].Timestamp);
        Assert.Null(records[1].Key);
        Assert.Null(records[1].Value);
        (string Key, byte[]? Value) second = Assert.Single(records[1].Headers);
        Assert.Equal("n", second.Key);
        Assert.Null(second.Value);
    }

    [Fact]
    public void BuilderWritesSameBytesWhenGivenHandBuiltBatchContent()
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = 1000,
            PartitionLeaderEpoch = 7,
            ProducerId = 42,
            ProducerEpoch = 3,
            BaseSequence = 9,
        };
        builder.Append(1600000000000, "k1"u8.ToArray(), "v1"u8.ToArray(), [new RecordHeaderValue("h", "x"u8.ToArray())]);
        builder.Append(1600000000005, null, null, [new RecordHeaderValue("n", null)]);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        builder.WriteTo(output);

        Assert.Equal(HandBuiltBatch, output.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllCompressions))]
    public void OpenRoundTripsRecordsWhenBuiltWithEachCompression(CompressionType compression)
    {
        byte[] batch = BatchTestData.Build(
            b =>
            {
                b.ProducerId = 77;
                b.ProducerEpoch = 2;
                b.BaseSequence = 100;
                b.IsTransactional = true;
                b.Append(5000, "a"u8.ToArray(), "first"u8.ToArray());
                b.Append(4990, null, "no key"u8.ToArray(), [new RecordHeaderValue("trace", "t1"u8.ToArray()), new RecordHeaderValue("empty", Array.Empty<byte>())]);
                b.Append(5010, "tomb"u8.ToArray(), null);
                b.Append(5020, Array.Empty<byte>(), Array.Empty<byte>(), [new RecordHeaderValue("null", null)]);
            },
            compression,
            baseOffset: 42);

        using RecordBatchReader reader = RecordBatchReader.Open(batch);
        Assert.Equal(compression, reader.Header.Compression);
        Assert.True(reader.Header.IsTransactional);
        Assert.False(reader.Header.IsControl);
        Assert.Equal(77, reader.Header.ProducerId);
        Assert.Equal(2, reader.Header.ProducerEpoch);
        Assert.Equal(100, reader.Header.BaseSequence);
        Assert.Equal(5000, reader.Header.BaseTimestamp);
        Assert.Equal(5020, reader.Header.MaxTimestamp);
        Assert.Equal(3, reader.Header.LastOffsetDelta);
        Assert.Equal(TimestampType.CreateTime, reader.Header.TimestampType);

        List<RecordCopy> records = RecordCopy.Copy(reader);
        Assert.Equal([42L, 43L, 44L, 45L], records.Select(r => r.Offset));
        Assert.Equal([5000L, 4990L, 5010L, 5020L], records.Select(r => r.Timestamp));
        Assert.Null(records[1].Key);
        Assert.Equal(2, records[1].Headers.Length);
        Assert.Equal("empty", records[1].Headers[1].Key);
        Assert.Equal(Array.Empty<byte>(), records[1].Headers[1].Value);
        Assert.Null(records[2].Value);
        Assert.Equal(Array.Empty<byte>(), records[3].Key);
        Assert.Equal(Array.Empty<byte>(), records[3].Value);
        Assert.Null(records[3].Headers[0].Value);
    }

    [Theory]
    [MemberData(nameof(AllCompressions))]
    public void OpenReadsLargeBatchWhenCompressed(CompressionType compression)
    {
        byte[] batch = BatchTestData.Simple(5000, compression);

        List<RecordCopy> records = RecordCopy.ReadAll(batch);

        Assert.Equal(5000, records.Count);
        Assert.Equal(4999, records[^1].Offset);
        Assert.Equal(1000 + 4999, records[^1].Timestamp);
    }

    [Fact]
    public void RecordTimestampIsLogAppendTimeWhenBatchUsesLogAppendTime()
    {
        byte[] batch = BatchTestData.Build(b =>
        {
            b.TimestampType = TimestampType.LogAppendTime;
            b.LogAppendTime = 999_999;
            b.Append(10, null, "x"u8.ToArray());
            b.Append(20, null, "y"u8.ToArray());
        });

        using RecordBatchReader reader = RecordBatchReader.Open(batch);

        Assert.Equal(TimestampType.LogAppendTime, reader.Header.TimestampType);
        Assert.Equal(999_999, reader.Header.MaxTimestamp);
        Assert.All(RecordCopy.Copy(reader), r => Assert.Equal(999_999, r.Timestamp));
    }

    [Fact]
    public void RecordTimestampIsLogAppendTimeWhenHeaderIsRestampedInPlace()
    {
        byte[] batch = BatchTestData.Simple(3);

        RecordBatchHeader.SetLogAppendTime(batch, 123_456);

        Assert.All(RecordCopy.ReadAll(batch), r => Assert.Equal(123_456, r.Timestamp));
    }

    [Fact]
    public void ControlRecordParsesWhenBatchIsCommitMarker()
    {
        byte[] batch = BatchTestData.Build(b =>
        {
            b.IsTransactional = true;
            b.IsControl = true;
            b.ProducerId = 9;
            b.ProducerEpoch = 1;
            ControlRecord.AppendEndTransactionMarker(b, 1234, ControlRecordType.Commit, coordinatorEpoch: 17);
        });

        using RecordBatchReader reader = RecordBatchReader.Open(batch);
        Assert.True(reader.Header.IsControl);
        Assert.True(reader.Header.IsTransactional);
        int seen = 0;
        foreach (Record record in reader)
        {
            Assert.Equal(ControlRecordType.Commit, ControlRecord.ReadKey(record.Key));
            Assert.Equal(17, ControlRecord.ReadEndTransactionMarker(record.Value));
            Assert.Equal(new byte[] { 0, 0, 0, 1 }, record.Key.ToArray());
            Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 17 }, record.Value.ToArray());
            seen++;
        }

        Assert.Equal(1, seen);
    }

    [Fact]
    public void ControlRecordReadKeyThrowsWhenKeyIsShort() =>
        Assert.Throws<CorruptRecordException>(() => ControlRecord.ReadKey([0, 0, 0]));

    [Fact]
    public void ControlRecordReadKeyReturnsAbortWhenTypeIsZero() =>
        Assert.Equal(ControlRecordType.Abort, ControlRecord.ReadKey([0, 0, 0, 0]));

    [Fact]
    public void OffsetsAreContiguousIsFalseWhenBuilderLeftGaps()
    {
        byte[] batch = BatchTestData.Build(
            b =>
            {
                b.Append(10, 1, "a"u8, false, "b"u8, false);
                b.Append(14, 1, "c"u8, false, "d"u8, false);
            },
            baseOffset: 10);

        using RecordBatchReader reader = RecordBatchReader.Open(batch);

        Assert.False(reader.OffsetsAreContiguous);
        Assert.Equal(4, reader.Header.LastOffsetDelta);
        Assert.Equal([10L, 14L], RecordCopy.Copy(reader).Select(r => r.Offset));
    }

    [Fact]
    public void OpenThrowsWhenAnyBitAfterCrcFieldIsFlipped()
    {
        byte[] batch = BatchTestData.Simple(3);
        for (int i = RecordBatchHeader.AttributesOffset; i < batch.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] flipped = (byte[])batch.Clone();
                flipped[i] ^= (byte)(1 << bit);
                Assert.Throws<CorruptRecordException>(() => Open(flipped));
            }
        }
    }

    [Fact]
    public void OpenThrowsWhenCrcFieldItselfIsFlipped()
    {
        byte[] batch = BatchTestData.Simple(3);
        batch[RecordBatchHeader.CrcOffset + 2] ^= 0x10;

        Assert.Throws<CorruptRecordException>(() => Open(batch));
    }

    [Fact]
    public void OpenSucceedsWhenBaseOffsetAndEpochAreRewritten()
    {
        byte[] batch = BatchTestData.Simple(3);
        RecordBatchHeader.SetBaseOffset(batch, 5_000_000);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 12);

        List<RecordCopy> records = RecordCopy.ReadAll(batch);

        Assert.Equal(5_000_002, records[^1].Offset);
    }

    [Theory]
    [MemberData(nameof(AllCompressions))]
    public void OpenThrowsProtocolExceptionWhenBatchIsTruncatedAtAnyLength(CompressionType compression)
    {
        byte[] batch = BatchTestData.Simple(20, compression);
        for (int length = 0; length < batch.Length; length++)
        {
            byte[] cut = batch[..length];
            Assert.ThrowsAny<KafkaProtocolException>(() => Open(cut));
        }
    }

    [Theory]
    [MemberData(nameof(AllCompressions))]
    public void OpenThrowsWhenBatchLengthFieldIsWrongAndTrailingBytesFollow(CompressionType compression)
    {
        // A shorter length cuts the records off; the CRC is recomputed over the shortened batch, so only the
        // structural checks can catch it.
        byte[] batch = BatchTestData.Simple(20, compression);
        for (int shrink = 1; shrink < 40; shrink++)
        {
            byte[] shorter = (byte[])batch.Clone();
            int length = BinaryPrimitives.ReadInt32BigEndian(shorter.AsSpan(RecordBatchHeader.LengthOffset));
            BinaryPrimitives.WriteInt32BigEndian(shorter.AsSpan(RecordBatchHeader.LengthOffset), length - shrink);
            RecordBatchHeader.WriteCrc(shorter.AsSpan(0, shorter.Length - shrink));
            Assert.ThrowsAny<KafkaProtocolException>(() => Open(shorter));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(int.MaxValue)]
    public void OpenThrowsWhenRecordCountDisagreesWithRecords(int count)
    {
        byte[] batch = BatchTestData.Simple(20);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), count);
        BatchTestData.Recrc(batch);

        Assert.Throws<CorruptRecordException>(() => Open(batch));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(18)]
    public void OpenThrowsWhenLastOffsetDeltaIsBelowLastRecord(int lastOffsetDelta)
    {
        byte[] batch = BatchTestData.Simple(20);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        BatchTestData.Recrc(batch);

        Assert.Throws<CorruptRecordException>(() => Open(batch));
    }

    [Fact]
    public void OpenReportsNonContiguousWhenLastOffsetDeltaIsAboveLastRecord()
    {
        byte[] batch = BatchTestData.Simple(20);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 25);
        BatchTestData.Recrc(batch);

        using RecordBatchReader reader = RecordBatchReader.Open(batch);

        Assert.False(reader.OffsetsAreContiguous);
    }

    [Fact]
    public void OpenThrowsWhenFirstRecordLengthVarintIsCorrupted()
    {
        foreach (byte value in new byte[] { 0x00, 0x01, 0x7E, 0x7F, 0xFF })
        {
            byte[] batch = BatchTestData.Simple(5);
            batch[RecordBatchHeader.Size] = value;
            BatchTestData.Recrc(batch);
            Assert.Throws<CorruptRecordException>(() => Open(batch));
        }
    }

    [Fact]
    public void OpenThrowsOnlyProtocolExceptionsWhenRecordBytesAreScrambledAndCrcRecomputed()
    {
        byte[] batch = BatchTestData.Simple(10);
        var random = new Random(3);
        for (int i = RecordBatchHeader.Size; i < batch.Length; i++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                byte[] damaged = (byte[])batch.Clone();
                damaged[i] = (byte)random.Next(256);
                BatchTestData.Recrc(damaged);
                try
                {
                    using RecordBatchReader reader = RecordBatchReader.Open(damaged);
                    RecordCopy.Copy(reader);
                }
                catch (KafkaProtocolException)
                {
                    // Expected for most damage; some (inside a value) leaves a valid batch.
                }
            }
        }
    }

    [Fact]
    public void OpenThrowsWhenMagicIsNotTwo()
    {
        byte[] batch = BatchTestData.Simple(2);
        batch[RecordBatchHeader.MagicOffset] = 1;

        Assert.ThrowsAny<KafkaProtocolException>(() => Open(batch));
    }

    [Fact]
    public void OpenThrowsWhenCompressionBitsAreUnknown()
    {
        byte[] batch = BatchTestData.Simple(2);
        batch[RecordBatchHeader.AttributesOffset + 1] |= 0x07;
        BatchTestData.Recrc(batch);

        Assert.ThrowsAny<KafkaProtocolException>(() => Open(batch));
    }

    [Fact]
    public void OpenThrowsWhenDecompressedRecordsExceedCap()
    {
        byte[] batch = BatchTestData.Build(b => b.Append(1, null, new byte[1 << 20]), CompressionType.Zstd);

        Assert.ThrowsAny<KafkaProtocolException>(() => RecordCopy.ReadAll(batch, maxDecompressedBytes: 64 * 1024));
    }

    [Fact]
    public void OpenThrowsWhenHeaderCountIsNegative()
    {
        // One record: length, attributes, ts delta 0, offset delta 0, null key, null value, header count -2.
        byte[] batch = BatchTestData.Build(b => b.Append(1, null, null));
        int headerCountAt = batch.Length - 1;
        batch[headerCountAt] = 0x03; // zig-zag -2
        BatchTestData.Recrc(batch);

        Assert.Throws<CorruptRecordException>(() => Open(batch));
    }

    [Fact]
    public void RecordValueIsNullWhenLengthIsAnyNegativeNumber()
    {
        // Kafka reads every negative key/value length as null; -2 is zig-zag 0x03, one byte like -1 (0x01).
        byte[] batch = BatchTestData.Build(b => b.Append(1, null, null));
        int valueLengthAt = batch.Length - 2;
        Assert.Equal(0x01, batch[valueLengthAt]);
        batch[valueLengthAt] = 0x03;
        BatchTestData.Recrc(batch);

        RecordCopy record = Assert.Single(RecordCopy.ReadAll(batch));

        Assert.Null(record.Value);
    }

    [Fact]
    public void OpenIgnoresBytesAfterBatchWhenSpanIsLonger()
    {
        byte[] batch = [.. BatchTestData.Simple(3), 1, 2, 3];

        Assert.Equal(3, RecordCopy.ReadAll(batch).Count);
    }

    [Theory]
    [MemberData(nameof(AllCompressions))]
    public void OpenReadsSameRecordsWhenSequenceIsSplitAnywhere(CompressionType compression)
    {
        byte[] batch = BatchTestData.Simple(4, compression);
        List<RecordCopy> expected = RecordCopy.ReadAll(batch);
        for (int split = 0; split <= batch.Length; split += 7)
        {
            using RecordBatchReader reader = RecordBatchReader.Open(BatchTestData.Segmented(batch, split, split + 30));
            Assert.Equal(expected, RecordCopy.Copy(reader), RecordCopyComparer.Instance);
        }
    }

    [Fact]
    public void OpenReadsInPlaceWhenBatchFitsFirstSegmentOfLongerSequence()
    {
        byte[] batch = BatchTestData.Simple(4);
        byte[] withNext = [.. batch, .. BatchTestData.Simple(2)];

        using RecordBatchReader reader = RecordBatchReader.Open(BatchTestData.Segmented(withNext, batch.Length + 10));

        Assert.Equal(RecordCopy.ReadAll(batch), RecordCopy.Copy(reader), RecordCopyComparer.Instance);
    }

    [Fact]
    public void OpenThrowsWhenSegmentedBatchIsTruncated()
    {
        byte[] batch = BatchTestData.Simple(4);
        for (int length = 0; length < batch.Length; length += 5)
        {
            byte[] cut = batch[..length];
            Assert.ThrowsAny<KafkaProtocolException>(() =>
            {
                using RecordBatchReader reader = RecordBatchReader.Open(BatchTestData.Segmented(cut, length / 2));
            });
        }
    }

    [Fact]
    public void IteratingAllocatesNothingPerRecordWhenBatchIsUncompressed()
    {
        byte[] batch = BatchTestData.Simple(1000);
        long checksum = SumOffsetsAndLengths(batch); // warm up: JIT and statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += SumOffsetsAndLengths(batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(checksum > 0);
        Assert.True(allocated < 1000, $"Iterating 1,000 records allocated {allocated} bytes.");
    }

    [Fact]
    public void BuilderThrowsWhenOffsetsDoNotRise()
    {
        using var builder = new RecordBatchBuilder { BaseOffset = 10 };
        builder.Append(11, 0, default, true, default, true);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Append(11, 0, default, true, default, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Append(9, 0, default, true, default, true));
    }

    [Fact]
    public void BuilderThrowsWhenWritingEmptyBatch()
    {
        using var builder = new RecordBatchBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.WriteTo(new System.Buffers.ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void BuilderCopiesRecordsUnchangedWhenRecompressing()
    {
        byte[] original = BatchTestData.Simple(50, CompressionType.Gzip, baseOffset: 300);
        using RecordBatchReader reader = RecordBatchReader.Open(original);
        using var builder = new RecordBatchBuilder { BaseOffset = 300, Compression = CompressionType.Lz4 };
        foreach (Record record in reader)
        {
            builder.Append(record);
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        builder.WriteTo(output);

        Assert.Equal(RecordCopy.ReadAll(original), RecordCopy.ReadAll(output.WrittenSpan), RecordCopyComparer.Instance);
    }

    private static long SumOffsetsAndLengths(byte[] batch)
    {
        long sum = 0;
        using RecordBatchReader reader = RecordBatchReader.Open(batch);
        foreach (Record record in reader)
        {
            sum += record.Offset + record.Key.Length + record.Value.Length;
            foreach (RecordHeader header in record.Headers)
            {
                sum += header.Value.Length;
            }
        }

        return sum;
    }

    private static void Open(byte[] batch)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch);
        foreach (Record record in reader)
        {
            _ = Encoding.UTF8.GetByteCount(record.Key.IsEmpty ? "" : "k");
        }
    }
}

internal sealed class RecordCopyComparer : IEqualityComparer<RecordCopy>
{
    public static readonly RecordCopyComparer Instance = new();

    public bool Equals(RecordCopy? x, RecordCopy? y) =>
        x is not null && y is not null &&
        x.Offset == y.Offset && x.Timestamp == y.Timestamp &&
        SameBytes(x.Key, y.Key) && SameBytes(x.Value, y.Value) &&
        x.Headers.Length == y.Headers.Length &&
        x.Headers.Zip(y.Headers).All(p => p.First.Key == p.Second.Key && SameBytes(p.First.Value, p.Second.Value));

    public int GetHashCode(RecordCopy obj) => obj.Offset.GetHashCode();

    private static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
