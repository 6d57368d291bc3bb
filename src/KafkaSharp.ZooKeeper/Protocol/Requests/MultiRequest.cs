using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of multi (14): each operation behind a MultiHeader naming its type, then a closing header with
/// type -1 and done set.
/// <code>
///   MultiHeader = type:int, done:boolean, err:int
///   +------------------------+-----------+-----+------------------------+
///   | {type, false, -1} op 1 | ... op n  |     | {-1, true, -1}          |
///   +------------------------+-----------+-----+------------------------+
///   op = CreateRequest (type 1) | DeleteRequest (2) | SetDataRequest (5) | CheckVersionRequest (13)
/// </code>
/// </summary>
internal sealed record MultiRequest(IReadOnlyList<(OpCode Type, IJuteRequest Body)> Operations) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        foreach ((OpCode type, IJuteRequest body) in Operations)
        {
            WriteHeader(writer, type, done: false);
            body.Write(writer);
        }

        WriteHeader(writer, OpCode.Error, done: true);
    }

    private static void WriteHeader(JuteWriter writer, OpCode type, bool done)
    {
        writer.WriteInt((int)type);
        writer.WriteBool(done);
        writer.WriteInt(-1);
    }
}
