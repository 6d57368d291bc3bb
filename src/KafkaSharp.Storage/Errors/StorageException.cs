using KafkaSharp.Protocol;
using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Storage.Errors;

/// <summary>A storage operation failed; <see cref="ErrorCode"/> is the Kafka error the broker should answer with.</summary>
public sealed class StorageException : Exception
{
    public StorageException(ErrorCode errorCode, string message) : base(message) => ErrorCode = errorCode;

    public StorageException(ErrorCode errorCode, string message, Exception inner) : base(message, inner) => ErrorCode = errorCode;

    public StorageException() : this(ErrorCode.UnknownServerError, "Storage error.") { }

    public StorageException(string message) : this(ErrorCode.UnknownServerError, message) { }

    public StorageException(string message, Exception inner) : this(ErrorCode.UnknownServerError, message, inner) { }

    public ErrorCode ErrorCode { get; }
}

/// <summary>Throw helpers kept out of line so the append and read paths stay small.</summary>
internal static class StorageThrow
{
    [DoesNotReturn]
    public static void Throw(ErrorCode code, string message) => throw new StorageException(code, message);

    [DoesNotReturn]
    public static void OffsetOutOfRange(long offset, long logStart, long logEnd) =>
        throw new StorageException(ErrorCode.OffsetOutOfRange, $"Offset {offset} is outside the log range [{logStart}, {logEnd}].");

    [DoesNotReturn]
    public static void Offline(string dir, Exception? cause = null) =>
        throw new StorageException(ErrorCode.KafkaStorageError, $"Log directory {dir} is offline.", cause ?? new IOException("offline"));
}
