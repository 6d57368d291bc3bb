using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol;

/// <summary>
/// Frames what the client sends: a 4-byte big-endian length, then the record(s). The header and body are encoded
/// into a scratch buffer first so the length can go in front (a pipe cannot be back-filled once advanced).
/// <code>
///   handshake: | len:int | ConnectRequest |
///   requests:  | len:int | xid:int | type:int | body |
/// </code>
/// </summary>
internal static class RequestFrame
{
    public static void WriteConnect(ArrayBufferWriter<byte> scratch, IBufferWriter<byte> output, ConnectRequest request)
    {
        scratch.ResetWrittenCount();
        request.Write(new JuteWriter(scratch));
        WriteFramed(output, scratch.WrittenSpan);
    }

    public static void Write(ArrayBufferWriter<byte> scratch, IBufferWriter<byte> output, int xid, OpCode type, IJuteRequest body)
    {
        scratch.ResetWrittenCount();
        var writer = new JuteWriter(scratch);
        new RequestHeader(xid, type).Write(writer);
        body.Write(writer);
        WriteFramed(output, scratch.WrittenSpan);
    }

    private static void WriteFramed(IBufferWriter<byte> output, ReadOnlySpan<byte> body)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), body.Length);
        output.Advance(4);
        output.Write(body);
    }
}
