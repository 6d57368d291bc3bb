using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Builds one magic-2 record batch (layout on <see cref="RecordBatchHeader"/>, records on <see cref="Record"/>).
/// Records are encoded into a pooled buffer as they are appended; <see cref="WriteTo"/> compresses them if
/// asked, then writes header and records with the batch length, last offset delta, max timestamp and CRC-32C
/// filled in. Set the batch properties before the first append. Reusable after <see cref="Reset"/>.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records = new();
    private PooledBufferWriter? _compressed;
    private long _firstTimestamp;
    private long _maxTimestamp = -1;
    private long _lastOffset;

    public long BaseOffset { get; set; }

    public CompressionType Compression { get; set; }

    public TimestampType TimestampType { get; set; } = TimestampType.CreateTime;

    /// <summary>The broker's append time, stored as the max timestamp when <see cref="TimestampType"/> is LogAppendTime.</summary>
    public long LogAppendTime { get; set; } = -1;

    public int PartitionLeaderEpoch { get; set; } = -1;

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public int BaseSequence { get; set; } = -1;

    public bool IsTransactional { get; set; }

    public bool IsControl { get; set; }

    public int Count { get; private set; }

    /// <summary>Offset the next <see cref="Append(long, byte[], byte[], IReadOnlyList{RecordHeaderValue})"/> gets.</summary>
    public long NextOffset => Count == 0 ? BaseOffset : _lastOffset + 1;

    /// <summary>Appends a record at the next offset; null key or value are written as null (length -1).</summary>
    public void Append(long timestamp, byte[]? key, byte[]? value, IReadOnlyList<RecordHeaderValue>? headers = null) =>
        Append(NextOffset, timestamp, key, key is null, value, value is null, headers);

    /// <summary>Appends a record; <paramref name="offset"/> must be above the previous one (gaps are allowed).</summary>
    public void Append(
        long offset,
        long timestamp,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        IReadOnlyList<RecordHeaderValue>? headers = null)
    {
        int headerCount = headers?.Count ?? 0;
        int headerSize = 0;
        for (int i = 0; i < headerCount; i++)
        {
            RecordHeaderValue header = headers![i];
            int keyLength = Encoding.UTF8.GetByteCount(header.Key);
            headerSize += WireSize.VarInt(keyLength) + keyLength + NullableSize(header.Value?.Length ?? -1);
        }

        Span<byte> headerTarget = AppendCore(offset, timestamp, key, keyIsNull, value, valueIsNull, headerCount, headerSize);
        int position = 0;
        for (int i = 0; i < headerCount; i++)
        {
            RecordHeaderValue header = headers![i];
            int keyLength = Encoding.UTF8.GetByteCount(header.Key);
            position += VarintSpanWriter.WriteVarInt(headerTarget[position..], keyLength);
            position += Encoding.UTF8.GetBytes(header.Key, headerTarget[position..]);
            position += WriteNullable(headerTarget[position..], header.Value.HasValue ? header.Value.Value.Span : default, !header.Value.HasValue);
        }
    }

    /// <summary>Copies a record from another batch with its offset, timestamp and headers, e.g. to recompress.</summary>
    public void Append(scoped in Record record)
    {
        Span<byte> headerTarget = AppendCore(
            record.Offset, record.Timestamp, record.Key, record.IsKeyNull, record.Value, record.IsValueNull, record.HeaderCount, record.HeaderData.Length);
        record.HeaderData.CopyTo(headerTarget);
    }

    /// <summary>Writes the finished batch. The builder keeps its records; call <see cref="Reset"/> to start over.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        ReadOnlySpan<byte> payload = _records.WrittenSpan;
        if (Compression != CompressionType.None)
        {
            _compressed ??= new PooledBufferWriter(payload.Length + 64);
            _compressed.Clear();
            CompressionCodecs.Get(Compression).Compress(payload, _compressed);
            payload = _compressed.WrittenSpan;
        }

        int total = checked(RecordBatchHeader.Size + payload.Length);
        Span<byte> batch = output.GetSpan(total)[..total];
        bool logAppendTime = TimestampType == TimestampType.LogAppendTime;
        BinaryPrimitives.WriteInt64BigEndian(batch, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LengthOffset..], total - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        batch[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(
            batch[RecordBatchHeader.AttributesOffset..],
            RecordBatchHeader.MakeAttributes(Compression, TimestampType, IsTransactional, IsControl));
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..], checked((int)(_lastOffset - BaseOffset)));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampOffset..], _firstTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], logAppendTime ? LogAppendTime : _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordCountOffset..], Count);
        payload.CopyTo(batch[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(batch);
        output.Advance(total);
    }

    /// <summary>Forgets the records; the batch properties stay as they are.</summary>
    public void Reset()
    {
        _records.Clear();
        Count = 0;
        _maxTimestamp = -1;
        _firstTimestamp = 0;
        _lastOffset = 0;
    }

    public void Dispose()
    {
        _records.Dispose();
        _compressed?.Dispose();
    }

    /// <summary>Encodes everything but the header bodies and returns the span where they go.</summary>
    private Span<byte> AppendCore(
        long offset,
        long timestamp,
        scoped ReadOnlySpan<byte> key,
        bool keyIsNull,
        scoped ReadOnlySpan<byte> value,
        bool valueIsNull,
        int headerCount,
        int headerSize)
    {
        if (offset < BaseOffset || (Count > 0 && offset <= _lastOffset) || offset - BaseOffset > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offsets must rise from the base offset and stay within an int32 delta.");
        }

        if (Count == 0)
        {
            _firstTimestamp = timestamp;
        }

        long timestampDelta = timestamp - _firstTimestamp;
        int offsetDelta = (int)(offset - BaseOffset);
        int bodySize = checked(
            1 + WireSize.VarLong(timestampDelta) + WireSize.VarInt(offsetDelta) +
            NullableSize(keyIsNull ? -1 : key.Length) + NullableSize(valueIsNull ? -1 : value.Length) +
            WireSize.VarInt(headerCount) + headerSize);
        int recordSize = WireSize.VarInt(bodySize) + bodySize;
        Span<byte> target = _records.GetSpan(recordSize)[..recordSize];
        int position = VarintSpanWriter.WriteVarInt(target, bodySize);
        target[position++] = 0; // record attributes: unused in magic 2
        position += VarintSpanWriter.WriteVarLong(target[position..], timestampDelta);
        position += VarintSpanWriter.WriteVarInt(target[position..], offsetDelta);
        position += WriteNullable(target[position..], key, keyIsNull);
        position += WriteNullable(target[position..], value, valueIsNull);
        position += VarintSpanWriter.WriteVarInt(target[position..], headerCount);
        _records.Advance(recordSize);

        Count++;
        _lastOffset = offset;
        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
        return _records.WrittenSpanMutable.Slice(_records.WrittenCount - headerSize, headerSize);
    }

    private static int NullableSize(int length) => length < 0 ? 1 : WireSize.VarInt(length) + length;

    private static int WriteNullable(Span<byte> destination, scoped ReadOnlySpan<byte> data, bool isNull)
    {
        if (isNull)
        {
            return VarintSpanWriter.WriteVarInt(destination, -1);
        }

        int position = VarintSpanWriter.WriteVarInt(destination, data.Length);
        data.CopyTo(destination[position..]);
        return position + data.Length;
    }
}
