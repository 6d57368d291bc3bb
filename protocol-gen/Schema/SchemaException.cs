namespace KafkaSharp.ProtocolGen.Schema;

/// <summary>A schema file that does not follow Kafka's message definition format. The message names the file.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException(string message) : base(message) { }

    public SchemaException(string message, Exception inner) : base(message, inner) { }

    public SchemaException() { }
}
