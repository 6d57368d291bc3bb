namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>A znode whose content is not the JSON Kafka writes there. The entity it describes is skipped.</summary>
public sealed class MalformedZNodeException : Exception
{
    public MalformedZNodeException()
    {
    }

    public MalformedZNodeException(string message)
        : base(message)
    {
    }

    public MalformedZNodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MalformedZNodeException(string path, string reason, Exception? innerException = null)
        : base($"Malformed znode {path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    public string? Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; } = "";
}
