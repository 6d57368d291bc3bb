using System.Buffers;
using KafkaSharp.Protocol.Records;
using Record = KafkaSharp.Protocol.Records.Record;

namespace KafkaSharp.Protocol.Tests.Records;

public class RecordBatchRoundTripTests
{
    [Fact]
    public void ReaderReturnsWhatBuilderWroteWhenContentIsRandom()
    {
        var random = new Random(2024);
        CompressionType[] compressions = [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];
        for (int trial = 0; trial < 200; trial++)
        {
            CompressionType compression = compressions[trial % compressions.Length];
            long baseOffset = random.NextInt64(0, long.MaxValue / 2);
            var expected = new List<RecordCopy>();
            using var builder = new RecordBatchBuilder
            {
                BaseOffset = baseOffset,
                Compression = compression,
                ProducerId = random.Next(-1, 1000),
                ProducerEpoch = (short)random.Next(-1, 100),
                BaseSequence = random.Next(-1, 100_000),
                IsTransactional = random.Next(2) == 0,
            };
            int count = random.Next(1, 40);
            long offset = baseOffset;
            for (int i = 0; i < count; i++)
            {
                offset += random.Next(1, 4);
                long timestamp = random.NextInt64(-1, 2_000_000_000_000);
                byte[]? key = RandomBytes(random, 300);
                byte[]? value = RandomBytes(random, 3000);
                var headers = new List<RecordHeaderValue>();
                for (int h = random.Next(0, 4); h > 0; h--)
                {
                    headers.Add(new RecordHeaderValue($"h{random.Next(1000)}é", RandomBytes(random, 20)));
                }

                builder.Append(offset, timestamp, key, key is null, value, value is null, headers);
                expected.Add(new RecordCopy(offset, timestamp, key, value, [.. headers.Select(h => (h.Key, h.Value?.ToArray()))]));
            }

            var output = new ArrayBufferWriter<byte>();
            builder.WriteTo(output);

            using RecordBatchReader reader = RecordBatchReader.Open(output.WrittenSpan);
            Assert.Equal(count, reader.Header.RecordCount);
            Assert.Equal(expected[^1].Offset - baseOffset, reader.Header.LastOffsetDelta);
            Assert.Equal(expected.Max(r => r.Timestamp), reader.Header.MaxTimestamp);
            Assert.Equal(builder.ProducerId, reader.Header.ProducerId);
            Assert.Equal(expected, RecordCopy.Copy(reader), RecordCopyComparer.Instance);
        }
    }

    private static byte[]? RandomBytes(Random random, int maxLength)
    {
        int length = random.Next(-1, maxLength);
        if (length < 0)
        {
            return null;
        }

        var bytes = new byte[length];
        // Mostly repetitive so the codecs have something to do, with some noise.
        for (int i = 0; i < length; i++)
        {
            bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(i % 7);
        }

        return bytes;
    }
}
