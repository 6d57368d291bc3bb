using KafkaSharp.Protocol;

namespace KafkaSharp.Broker;

/// <summary>
/// A failure that has a Kafka error code, for handlers to put in their response (Kafka's ApiException). The message
/// goes to the client where the response has an error_message field.
/// </summary>
public sealed class KafkaApiException : Exception
{
    public KafkaApiException(ErrorCode errorCode, string message)
        : base(message) => ErrorCode = errorCode;

    public KafkaApiException(ErrorCode errorCode, string message, Exception innerException)
        : base(message, innerException) => ErrorCode = errorCode;

    public KafkaApiException()
        : this(ErrorCode.UnknownServerError, "Unknown server error.")
    {
    }

    public KafkaApiException(string message)
        : this(ErrorCode.UnknownServerError, message)
    {
    }

    public KafkaApiException(string message, Exception innerException)
        : this(ErrorCode.UnknownServerError, message, innerException)
    {
    }

    public ErrorCode ErrorCode { get; }
}
