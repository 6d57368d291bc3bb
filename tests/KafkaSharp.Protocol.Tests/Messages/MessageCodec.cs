using System.Buffers;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>Writes and reads generated messages the way the broker does: through KafkaWriter and KafkaReader.</summary>
internal static class MessageCodec
{
    public static byte[] Serialize(IKafkaMessage message, short version)
    {
        ArrayBufferWriter<byte> buffer = new();
        KafkaWriter writer = new(buffer);
        message.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a message of the named schema and checks that it used every byte of the input.</summary>
    public static IKafkaMessage Deserialize(string name, ReadOnlySequence<byte> frame, short version)
    {
        IKafkaMessage message = SchemaCatalog.Create(name);
        KafkaReader reader = new(frame);
        message.Read(ref reader, version);
        Assert.True(reader.End, $"{name} v{version}: {reader.Remaining} bytes left unread.");
        return message;
    }

    public static IKafkaMessage Deserialize(string name, byte[] frame, short version) =>
        Deserialize(name, new ReadOnlySequence<byte>(frame), version);
}
