namespace KafkaSharp.Protocol.Messages;

/// <summary>A generated message or header that can read and write itself in any of its valid versions.</summary>
public interface IKafkaMessage
{
    /// <summary>Replaces this message's contents with the one encoded in <paramref name="reader"/>.</summary>
    void Read(ref KafkaReader reader, short version);

    void Write(ref KafkaWriter writer, short version);

    /// <summary>Exactly the number of bytes <see cref="Write"/> produces for the same version.</summary>
    int Size(short version);

    short LowestSupportedVersion { get; }

    short HighestSupportedVersion { get; }
}
