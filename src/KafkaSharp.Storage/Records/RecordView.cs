namespace KafkaSharp.Storage.Records;

/// <summary>One record of an uncompressed magic-2 batch: the parts storage needs, and its raw bytes.</summary>
internal readonly ref struct RecordView
{
    public RecordView(ReadOnlySpan<byte> raw, int offsetDelta, long timestampDelta, ReadOnlySpan<byte> key, bool hasKey, bool hasValue)
    {
        Raw = raw;
        OffsetDelta = offsetDelta;
        TimestampDelta = timestampDelta;
        Key = key;
        HasKey = hasKey;
        HasValue = hasValue;
    }

    /// <summary>The whole record including its length prefix, to copy unchanged into a compacted batch.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public int OffsetDelta { get; }

    public long TimestampDelta { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool HasKey { get; }

    /// <summary>False for a tombstone (null value).</summary>
    public bool HasValue { get; }
}
