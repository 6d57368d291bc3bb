using KafkaSharp.ZooKeeper.Jute;

namespace KafkaSharp.ZooKeeper.Protocol.Requests;

/// <summary>
/// The body of setWatches (101, sent with xid -8) after a reconnect: re-registers the client's watches on the new
/// server. The server compares each path with relativeZxid (the last zxid the client saw) and fires at once any
/// watch whose node changed meanwhile, so no change is missed across the reconnect.
/// <code>
///   +-------------------+-----------------------------+------------------------------+------------------------------+
///   | relativeZxid:long | dataWatches:vector&lt;ustring&gt; | existWatches:vector&lt;ustring&gt; | childWatches:vector&lt;ustring&gt; |
///   +-------------------+-----------------------------+------------------------------+------------------------------+
/// </code>
/// </summary>
internal sealed record SetWatchesRequest(
    long RelativeZxid,
    IReadOnlyCollection<string> DataWatches,
    IReadOnlyCollection<string> ExistWatches,
    IReadOnlyCollection<string> ChildWatches) : IJuteRequest
{
    public void Write(JuteWriter writer)
    {
        writer.WriteLong(RelativeZxid);
        writer.WriteStringVector(DataWatches);
        writer.WriteStringVector(ExistWatches);
        writer.WriteStringVector(ChildWatches);
    }
}
