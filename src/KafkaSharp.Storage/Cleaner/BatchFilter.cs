using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Cleaner;

/// <summary>
/// Rewrites one batch keeping only some records, as Kafka's cleaner does: the batch keeps its base offset,
/// lastOffsetDelta, producer fields and compression, so offsets and the producer's sequence bookkeeping survive.
/// Uncompressed records are copied byte for byte (their deltas stay valid because the base offset and base
/// timestamp are kept); compressed batches are decompressed, filtered and recompressed with the same codec.
/// The record count, length, max timestamp and CRC are recomputed.
/// </summary>
internal sealed class BatchFilter : IDisposable
{
    private readonly RecordBatchBuilder _builder = new();
    private readonly ArrayBufferWriter<byte> _built = new(64 * 1024);
    private byte[] _scratch = new byte[64 * 1024];
    private int _writtenLength;

    /// <summary>What became of a batch.</summary>
    public enum Outcome
    {
        /// <summary>Every record kept: copy the original bytes.</summary>
        Unchanged,

        /// <summary>Some records kept: the rewritten batch is in <see cref="Written"/>.</summary>
        Rewritten,

        /// <summary>No record kept: drop the batch.</summary>
        Empty,
    }

    public delegate bool KeepRecord(long offset, ReadOnlySpan<byte> key, bool hasKey, bool hasValue);

    /// <summary>The rewritten batch after <see cref="Outcome.Rewritten"/>.</summary>
    public ReadOnlySpan<byte> Written => _scratch.AsSpan(0, _writtenLength);

    /// <summary>
    /// The batch's header alone with no records (Kafka's empty batch header): same offsets, producer fields and
    /// timestamps, record count 0, no compression, CRC recomputed.
    /// </summary>
    public ReadOnlySpan<byte> EmptyHeader(ReadOnlySpan<byte> batch)
    {
        Span<byte> output = Scratch(RecordBatchHeader.Size)[..RecordBatchHeader.Size];
        batch[..RecordBatchHeader.Size].CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.LengthOffset..], RecordBatchHeader.Size - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.RecordCountOffset..], 0);
        short attributes = BinaryPrimitives.ReadInt16BigEndian(output[RecordBatchHeader.AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(output[RecordBatchHeader.AttributesOffset..], (short)(attributes & ~0x07));
        RecordBatchHeader.WriteCrc(output);
        _writtenLength = RecordBatchHeader.Size;
        return output;
    }

    public Outcome Filter(ReadOnlySpan<byte> batch, KeepRecord keep)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch, verifyCrc: false);
        RecordBatchHeader header = reader.Header;
        int kept = 0;
        foreach (Record record in reader)
        {
            if (keep(record.Offset, record.Key, !record.IsKeyNull, !record.IsValueNull))
            {
                kept++;
            }
        }

        if (kept == header.RecordCount)
        {
            return Outcome.Unchanged;
        }

        if (kept == 0)
        {
            return Outcome.Empty;
        }

        if (header.Compression == CompressionType.None)
        {
            CopyKeptRecords(batch, reader, keep, kept);
        }
        else
        {
            RebuildKeptRecords(reader, keep);
        }

        return Outcome.Rewritten;
    }

    private void CopyKeptRecords(ReadOnlySpan<byte> batch, in RecordBatchReader reader, KeepRecord keep, int kept)
    {
        RecordBatchHeader header = reader.Header;
        Span<byte> output = Scratch(batch.Length);
        int position = RecordBatchHeader.Size;
        int recordStart = 0;
        long maxTimestamp = -1;
        ReadOnlySpan<byte> records = reader.RecordsData;
        foreach (Record record in reader)
        {
            ReadOnlySpan<byte> raw = records.Slice(recordStart, record.SizeInBytes);
            recordStart += record.SizeInBytes;
            if (!keep(record.Offset, record.Key, !record.IsKeyNull, !record.IsValueNull))
            {
                continue;
            }

            raw.CopyTo(output[position..]);
            position += raw.Length;
            maxTimestamp = Math.Max(maxTimestamp, header.BaseTimestamp + record.TimestampDelta);
        }

        batch[..RecordBatchHeader.Size].CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.LengthOffset..], position - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(output[RecordBatchHeader.RecordCountOffset..], kept);
        if (header.TimestampType == TimestampType.CreateTime)
        {
            BinaryPrimitives.WriteInt64BigEndian(output[RecordBatchHeader.MaxTimestampOffset..], maxTimestamp);
        }

        RecordBatchHeader.WriteCrc(output[..position]);
        _writtenLength = position;
    }

    private void RebuildKeptRecords(in RecordBatchReader reader, KeepRecord keep)
    {
        RecordBatchHeader header = reader.Header;
        _builder.Reset();
        _builder.BaseOffset = header.BaseOffset;
        _builder.Compression = header.Compression;
        _builder.TimestampType = header.TimestampType;
        _builder.LogAppendTime = header.MaxTimestamp;
        _builder.PartitionLeaderEpoch = header.PartitionLeaderEpoch;
        _builder.ProducerId = header.ProducerId;
        _builder.ProducerEpoch = header.ProducerEpoch;
        _builder.BaseSequence = header.BaseSequence;
        _builder.IsTransactional = header.IsTransactional;
        _builder.IsControl = header.IsControl;
        foreach (Record record in reader)
        {
            if (keep(record.Offset, record.Key, !record.IsKeyNull, !record.IsValueNull))
            {
                _builder.Append(record);
            }
        }

        _built.ResetWrittenCount();
        _builder.WriteTo(_built);
        Span<byte> written = Scratch(_built.WrittenCount)[.._built.WrittenCount];
        _built.WrittenSpan.CopyTo(written);

        // Keep the original last offset delta (Kafka does, for producer state), which the builder cannot know.
        BinaryPrimitives.WriteInt32BigEndian(written[RecordBatchHeader.LastOffsetDeltaOffset..], header.LastOffsetDelta);
        RecordBatchHeader.WriteCrc(written);
        _writtenLength = written.Length;
    }

    private Span<byte> Scratch(int size)
    {
        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
        }

        return _scratch;
    }

    public void Dispose() => _builder.Dispose();
}
