namespace KafkaSharp.Storage.Errors;

/// <summary>
/// The Kafka error code numbers the storage layer can fail with, so the broker can answer the client with the
/// same code a Kafka broker would. Numbers are Kafka's (clients/.../protocol/Errors.java).
/// </summary>
public enum StorageErrorCode : short
{
    UnknownServerError = -1,
    OffsetOutOfRange = 1,
    CorruptMessage = 2,
    MessageTooLarge = 10,
    RecordListTooLarge = 18,
    InvalidTimestamp = 32,
    KafkaStorageError = 56,
    InvalidRecord = 87,
}
