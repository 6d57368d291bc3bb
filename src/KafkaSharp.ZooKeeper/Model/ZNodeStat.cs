namespace KafkaSharp.ZooKeeper;

/// <summary>
/// A node's metadata (jute <c>org.apache.zookeeper.data.Stat</c>).
/// </summary>
/// <param name="Czxid">The zxid of the transaction that created the node.</param>
/// <param name="Mzxid">The zxid of the transaction that last changed the node's data.</param>
/// <param name="Ctime">Creation time, milliseconds since the Unix epoch.</param>
/// <param name="Mtime">Last data change time, milliseconds since the Unix epoch.</param>
/// <param name="Version">Number of data changes; what setData and delete compare an expected version with.</param>
/// <param name="Cversion">Number of changes to the children.</param>
/// <param name="Aversion">Number of ACL changes.</param>
/// <param name="EphemeralOwner">Session id of the owner for an ephemeral node, 0 otherwise.</param>
/// <param name="DataLength">Length of the data.</param>
/// <param name="NumChildren">Number of children.</param>
/// <param name="Pzxid">The zxid of the last change to the children.</param>
public sealed record ZNodeStat(
    long Czxid,
    long Mzxid,
    long Ctime,
    long Mtime,
    int Version,
    int Cversion,
    int Aversion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long Pzxid);
