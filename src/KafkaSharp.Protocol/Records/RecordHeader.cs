namespace KafkaSharp.Protocol.Records;

/// <summary>One record header: a non-null key and a value that may be null.</summary>
public readonly ref struct RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
{
    /// <summary>UTF-8 bytes of the header key.</summary>
    public ReadOnlySpan<byte> Key { get; } = key;

    public ReadOnlySpan<byte> Value { get; } = value;

    public bool IsValueNull { get; } = isValueNull;
}

/// <summary>Walks a record's headers without allocating; use with foreach.</summary>
public ref struct RecordHeaderEnumerator
{
    private RecordSpanReader _reader;
    private int _remaining;
    private RecordHeader _current;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> headerData, int count)
    {
        _reader = new RecordSpanReader(headerData);
        _remaining = count;
        _current = default;
    }

    public readonly RecordHeader Current => _current;

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining <= 0)
        {
            return false;
        }

        _remaining--;
        _current = RecordParser.ReadHeader(ref _reader);
        return true;
    }
}
