using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Responses;

/// <summary>
/// Decoders for the reply bodies that follow a ReplyHeader whose err is 0. Paths come back as the server sees them
/// (with any chroot); the client strips the chroot.
/// </summary>
internal static class ResponseCodecs
{
    /// <summary>
    /// GetDataResponse (getData).
    /// <code>
    ///   +-------------+-----------+
    ///   | data:buffer | stat:Stat |
    ///   +-------------+-----------+
    /// </code>
    /// </summary>
    public static ZNodeData ReadGetData(ref JuteReader reader)
    {
        byte[] data = reader.ReadBuffer() ?? [];
        return new ZNodeData(data, StatCodec.Read(ref reader));
    }

    /// <summary>ExistsResponse and SetDataResponse: a lone Stat.</summary>
    public static ZNodeStat ReadStat(ref JuteReader reader) => StatCodec.Read(ref reader);

    /// <summary>
    /// CreateResponse (create) and SyncResponse (sync): a lone path.
    /// <code>
    ///   +--------------+
    ///   | path:ustring |
    ///   +--------------+
    /// </code>
    /// </summary>
    public static string ReadPath(ref JuteReader reader) => reader.ReadString() ?? string.Empty;

    /// <summary>
    /// Create2Response (create2): the actual path (with any sequence suffix) and the new node's Stat.
    /// <code>
    ///   +--------------+-----------+
    ///   | path:ustring | stat:Stat |
    ///   +--------------+-----------+
    /// </code>
    /// </summary>
    public static (string Path, ZNodeStat Stat) ReadCreate2(ref JuteReader reader)
    {
        string path = ReadPath(ref reader);
        return (path, StatCodec.Read(ref reader));
    }

    /// <summary>
    /// GetChildrenResponse (getChildren).
    /// <code>
    ///   +----------------------------+
    ///   | children:vector&lt;ustring&gt; |
    ///   +----------------------------+
    /// </code>
    /// </summary>
    public static IReadOnlyList<string> ReadChildren(ref JuteReader reader) => reader.ReadStringVector();

    /// <summary>
    /// GetChildren2Response (getChildren2): the children and the parent's Stat.
    /// <code>
    ///   +----------------------------+-----------+
    ///   | children:vector&lt;ustring&gt; | stat:Stat |
    ///   +----------------------------+-----------+
    /// </code>
    /// </summary>
    public static ZNodeChildren ReadChildren2(ref JuteReader reader)
    {
        List<string> children = reader.ReadStringVector();
        return new ZNodeChildren(children, StatCodec.Read(ref reader));
    }

    /// <summary>A reply with no body (delete, closeSession, setWatches, ping).</summary>
    public static bool ReadNothing(ref JuteReader reader) => true;
}
