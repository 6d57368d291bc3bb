namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// A request to another broker failed without an answer: the broker could not be reached, the connection dropped,
/// or the peer broke the protocol. Whether the peer processed the request is unknown; controller requests are
/// idempotent, so the caller may resend.
/// </summary>
public class BrokerConnectionException : IOException
{
    public BrokerConnectionException(int brokerId, string message, Exception? inner = null)
        : base($"Broker {brokerId}: {message}", inner)
    {
        BrokerId = brokerId;
    }

    public int BrokerId { get; }
}

/// <summary>No response within the request timeout; the connection was dropped (responses come in order, so a stuck one blocks the rest).</summary>
public sealed class BrokerRequestTimeoutException : BrokerConnectionException
{
    public BrokerRequestTimeoutException(int brokerId, string message)
        : base(brokerId, message)
    {
    }
}
