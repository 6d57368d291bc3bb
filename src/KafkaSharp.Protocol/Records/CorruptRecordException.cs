namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Record data that fails validation: a bad CRC, a record that overruns its batch, a count that disagrees
/// with the records present. A broker answers CORRUPT_MESSAGE for it; it is a
/// <see cref="KafkaProtocolException"/> so generic decoding error handling still applies.
/// </summary>
public sealed class CorruptRecordException : KafkaProtocolException
{
    public CorruptRecordException(string message) : base(message) { }

    public CorruptRecordException(string message, Exception inner) : base(message, inner) { }

    public CorruptRecordException() { }
}
