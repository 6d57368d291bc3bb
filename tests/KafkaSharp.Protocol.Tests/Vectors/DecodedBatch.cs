using System.Buffers;
using System.Text;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>One record, copied out of the batch so assertions can outlive the reader's pooled buffers.</summary>
public sealed record DecodedRecord(int OffsetDelta, string? Key, string? Value, IReadOnlyList<KeyValuePair<string, string?>> Headers)
{
    // Compared by content, headers included, so whole record lists can be asserted equal.
    public bool Equals(DecodedRecord? other) =>
        other is not null
        && OffsetDelta == other.OffsetDelta
        && Key == other.Key
        && Value == other.Value
        && Headers.SequenceEqual(other.Headers);

    public override int GetHashCode() => HashCode.Combine(OffsetDelta, Key, Value, Headers.Count);

    public override string ToString() =>
        $"#{OffsetDelta} {Key}={Value} [{string.Join(", ", Headers.Select(h => $"{h.Key}={h.Value}"))}]";
}

/// <summary>A magic-2 batch opened with the records reader (CRC checked, decompressed) and copied out.</summary>
public sealed record DecodedBatch(RecordBatchHeader Header, bool OffsetsAreContiguous, IReadOnlyList<DecodedRecord> Records)
{
    /// <summary>Every batch of a records field, in order (a fetch response may hold several).</summary>
    public static List<DecodedBatch> All(ReadOnlySequence<byte> records, bool verifyCrc = true)
    {
        byte[] contiguous = records.ToArray();
        var batches = new List<DecodedBatch>();
        var set = new RecordSetReader(contiguous, allowPartialTail: true);
        while (set.TryReadNext(out RecordSetEntry entry))
        {
            batches.Add(Open(entry.Data, verifyCrc));
        }

        return batches;
    }

    /// <summary>Exactly one batch, read straight from the (possibly multi-segment) sequence.</summary>
    public static DecodedBatch Single(ReadOnlySequence<byte> records, bool verifyCrc = true)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(records, verifyCrc);
        if (reader.Header.TotalSize != records.Length)
        {
            throw new KafkaProtocolException($"Records field holds {records.Length} bytes; its batch {reader.Header.TotalSize}.");
        }

        return CopyOut(reader);
    }

    private static DecodedBatch Open(ReadOnlySpan<byte> batch, bool verifyCrc)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch, verifyCrc);
        return CopyOut(reader);
    }

    private static DecodedBatch CopyOut(RecordBatchReader reader)
    {
        var records = new List<DecodedRecord>();
        foreach (KafkaSharp.Protocol.Records.Record record in reader)
        {
            var headers = new List<KeyValuePair<string, string?>>();
            foreach (RecordHeader header in record.Headers)
            {
                headers.Add(new(Encoding.UTF8.GetString(header.Key), header.IsValueNull ? null : Encoding.UTF8.GetString(header.Value)));
            }

            records.Add(new DecodedRecord(
                record.OffsetDelta,
                record.IsKeyNull ? null : Encoding.UTF8.GetString(record.Key),
                record.IsValueNull ? null : Encoding.UTF8.GetString(record.Value),
                headers));
        }

        return new DecodedBatch(reader.Header, reader.OffsetsAreContiguous, records);
    }
}
