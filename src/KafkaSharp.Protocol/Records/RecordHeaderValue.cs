namespace KafkaSharp.Protocol.Records;

/// <summary>A header to write: a string key and a value that may be null.</summary>
public readonly record struct RecordHeaderValue(string Key, ReadOnlyMemory<byte>? Value);
