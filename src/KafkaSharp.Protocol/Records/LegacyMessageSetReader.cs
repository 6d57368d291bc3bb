using KafkaSharp.Protocol.Compression;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Iterates a legacy message set (magic 0 and 1) deeply: a compressed wrapper's value is decompressed once
/// into a pooled buffer and its inner messages are yielded in place of it, with absolute offsets.
/// <para>
/// Inner offsets: magic-0 wrappers carry absolute inner offsets. Magic-1 wrappers (KIP-31) carry relative
/// ones, 0..n-1, while the wrapper's own offset is the absolute offset of the last inner message, so
/// absolute = wrapper offset - last relative + relative. Timestamps (KIP-32): in a LogAppendTime wrapper every
/// inner message takes the wrapper's timestamp; otherwise each keeps its own.
/// </para>
/// <para>Dispose returns the buffer; messages from this reader must not be touched afterwards.</para>
/// </summary>
public ref struct LegacyMessageSetReader : IDisposable
{
    private readonly int _maxDecompressedBytes;
    private readonly bool _verifyCrc;
    private RecordSetReader _outer;
    private PooledBufferWriter? _inner;
    private int _innerPosition;
    private long _innerOffsetAdjustment;
    private long _wrapperTimestamp;
    private bool _wrapperLogAppendTime;
    private bool _inWrapper;

    public LegacyMessageSetReader(
        ReadOnlySpan<byte> messageSet,
        bool allowPartialTail = false,
        bool verifyCrc = true,
        int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        _outer = new RecordSetReader(messageSet, allowPartialTail);
        _verifyCrc = verifyCrc;
        _maxDecompressedBytes = maxDecompressedBytes;
        _inner = null;
        _innerPosition = 0;
        _innerOffsetAdjustment = 0;
        _wrapperTimestamp = -1;
        _wrapperLogAppendTime = false;
        _inWrapper = false;
    }

    /// <summary>Bytes of an incomplete trailing message (0 if none); only set with allowPartialTail.</summary>
    public readonly int PartialTailLength => _outer.PartialTailLength;

    public bool TryReadNext(out LegacyMessage message)
    {
        if (_inWrapper)
        {
            if (TryReadInner(out message))
            {
                return true;
            }

            _inWrapper = false;
        }

        if (!_outer.TryReadNext(out RecordSetEntry entry))
        {
            message = default;
            return false;
        }

        if (entry.IsBatch)
        {
            RecordThrow.Corrupt("A magic 2 batch appears inside a legacy message set.");
        }

        LegacyMessage outer = LegacyMessage.Read(entry.Data, _verifyCrc);
        if (outer.Compression == CompressionType.None)
        {
            message = outer;
            return true;
        }

        OpenWrapper(outer);
        if (!TryReadInner(out message))
        {
            RecordThrow.Corrupt("A compressed legacy message holds no inner messages.");
        }

        return true;
    }

    public void Dispose()
    {
        _inner?.Dispose();
        _inner = null;
        _inWrapper = false;
    }

    private void OpenWrapper(LegacyMessage wrapper)
    {
        if (wrapper.IsValueNull)
        {
            RecordThrow.Corrupt("A compressed legacy message has a null value.");
        }

        _inner ??= new PooledBufferWriter((int)Math.Min(wrapper.Value.Length * 4L, _maxDecompressedBytes) + 1);
        _inner.Clear();
        if (wrapper.Compression == CompressionType.Lz4)
        {
            ((Lz4Codec)CompressionCodecs.Lz4).DecompressLegacy(wrapper.Value, _inner, _maxDecompressedBytes, wrapper.Magic);
        }
        else
        {
            CompressionCodecs.Get(wrapper.Compression).Decompress(wrapper.Value, _inner, _maxDecompressedBytes);
        }

        // Every inner message is checked now, so iteration cannot fail halfway and the last offset is known.
        long lastInnerOffset = -1;
        var scan = new RecordSetReader(_inner.WrittenSpan);
        while (scan.TryReadNext(out RecordSetEntry innerEntry))
        {
            LegacyMessage inner = LegacyMessage.Read(innerEntry.Data, _verifyCrc);
            if (inner.Magic != wrapper.Magic)
            {
                RecordThrow.Corrupt($"Inner message magic {inner.Magic} differs from its wrapper's {wrapper.Magic}.");
            }

            if (inner.Compression != CompressionType.None)
            {
                RecordThrow.Corrupt("A compressed legacy message holds a compressed inner message.");
            }

            if (wrapper.Magic > 0 && inner.Offset <= lastInnerOffset)
            {
                RecordThrow.Corrupt("Inner relative offsets of a magic 1 wrapper do not rise.");
            }

            lastInnerOffset = inner.Offset;
        }

        _innerPosition = 0;
        _innerOffsetAdjustment = 0;
        if (wrapper.Magic > 0 && wrapper.Offset != 0)
        {
            if (wrapper.Offset < lastInnerOffset)
            {
                RecordThrow.Corrupt($"Wrapper offset {wrapper.Offset} is below its last inner offset {lastInnerOffset}.");
            }

            _innerOffsetAdjustment = wrapper.Offset - lastInnerOffset;
        }

        // A magic-1 wrapper at offset 0 keeps its inner offsets as they are: some librdkafka versions produce
        // wrappers with offset 0, and Kafka's deep iterator treats them this way too.

        _wrapperTimestamp = wrapper.Timestamp;
        _wrapperLogAppendTime = wrapper.TimestampType == TimestampType.LogAppendTime;
        _inWrapper = true;
    }

    private bool TryReadInner(out LegacyMessage message)
    {
        var reader = new RecordSetReader(_inner!.WrittenSpan[_innerPosition..]);
        if (!reader.TryReadNext(out RecordSetEntry entry))
        {
            message = default;
            return false;
        }

        _innerPosition += entry.Data.Length;
        LegacyMessage inner = LegacyMessage.Read(entry.Data, verifyCrc: false);
        message = _wrapperLogAppendTime
            ? inner.WithResolved(inner.Offset + _innerOffsetAdjustment, _wrapperTimestamp, TimestampType.LogAppendTime)
            : inner.WithResolved(inner.Offset + _innerOffsetAdjustment, inner.Timestamp, inner.TimestampType);
        return true;
    }
}
