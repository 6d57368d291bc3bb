namespace KafkaSharp.Protocol.Records;

/// <summary>
/// One record of a magic-2 batch (KIP-98), as a view over the batch's bytes: nothing is copied, and the view
/// is valid only while the <see cref="RecordBatchReader"/> that produced it is.
/// <code>
/// length varint (bytes after this field)
/// attributes int8 (unused)
/// timestampDelta varlong      relative to the batch's base timestamp
/// offsetDelta varint          relative to the batch's base offset
/// keyLength varint (-1 null) | key
/// valueLength varint (-1 null) | value
/// headerCount varint | (keyLength varint | key | valueLength varint (-1 null) | value) ...
/// </code>
/// </summary>
public readonly ref struct Record
{
    internal Record(
        sbyte attributes,
        long timestamp,
        long timestampDelta,
        long offset,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        int headerCount,
        ReadOnlySpan<byte> headerData,
        int sizeInBytes)
    {
        Attributes = attributes;
        Timestamp = timestamp;
        TimestampDelta = timestampDelta;
        Offset = offset;
        OffsetDelta = offsetDelta;
        Key = key;
        IsKeyNull = keyIsNull;
        Value = value;
        IsValueNull = valueIsNull;
        HeaderCount = headerCount;
        HeaderData = headerData;
        SizeInBytes = sizeInBytes;
    }

    public sbyte Attributes { get; }

    /// <summary>
    /// Absolute timestamp: base timestamp + delta, or the batch's max timestamp in a LogAppendTime batch (the
    /// broker's append time overrides what the producer wrote, as in Kafka's DefaultRecordBatch).
    /// </summary>
    public long Timestamp { get; }

    public long TimestampDelta { get; }

    /// <summary>Absolute offset: base offset + delta.</summary>
    public long Offset { get; }

    public int OffsetDelta { get; }

    /// <summary>The key bytes; empty when <see cref="IsKeyNull"/>.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>The value bytes; empty when <see cref="IsValueNull"/> (a tombstone).</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    /// <summary>The encoded headers after the count, for copying a record unchanged.</summary>
    public ReadOnlySpan<byte> HeaderData { get; }

    /// <summary>Encoded size including the leading length varint.</summary>
    public int SizeInBytes { get; }

    public RecordHeaderEnumerator Headers => new(HeaderData, HeaderCount);
}
