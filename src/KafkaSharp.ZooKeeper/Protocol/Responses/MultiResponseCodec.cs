using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Responses;

/// <summary>
/// Decodes MultiResponse: one MultiHeader per operation, each followed by that operation's result, then a closing
/// header with done set. When the transaction failed, every result is an error (type -1) and none was applied.
/// <code>
///   MultiHeader = type:int, done:boolean, err:int
///   +-----------------------------+-----+----------------+
///   | {type, false, err} result 1 | ... | {-1, true, -1} |
///   +-----------------------------+-----+----------------+
///   result by type: create(1) path:ustring | create2(15) path:ustring, stat:Stat | delete(2) nothing
///                   setData(5) stat:Stat   | check(13) nothing                   | error(-1) err:int
/// </code>
/// </summary>
internal static class MultiResponseCodec
{
    public static List<ZooKeeperOpResult> Read(ref JuteReader reader)
    {
        var results = new List<ZooKeeperOpResult>();
        while (true)
        {
            var type = (OpCode)reader.ReadInt();
            bool done = reader.ReadBool();
            reader.ReadInt(); // err: repeated in the ErrorResponse body for error results, -1 otherwise
            if (done)
            {
                return results;
            }

            results.Add(type switch
            {
                OpCode.Create => new ZooKeeperOpResult.Create(ResponseCodecs.ReadPath(ref reader)),
                OpCode.Create2 => new ZooKeeperOpResult.Create(ResponseCodecs.ReadCreate2(ref reader).Path),
                OpCode.Delete => new ZooKeeperOpResult.Delete(),
                OpCode.SetData => new ZooKeeperOpResult.SetData(StatCodec.Read(ref reader)),
                OpCode.Check => new ZooKeeperOpResult.Check(),
                OpCode.Error => new ZooKeeperOpResult.Error((ZooKeeperErrorCode)reader.ReadInt()),
                _ => throw new JuteException($"Unexpected operation type {(int)type} in a multi response."),
            });
        }
    }
}
