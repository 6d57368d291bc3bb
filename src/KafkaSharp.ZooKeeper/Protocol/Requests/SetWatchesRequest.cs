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

    /// <summary>
    /// Splits the watched paths into as many requests as needed to keep each under about
    /// <paramref name="maxBytes"/> of paths, as ZooKeeper's own client does (a server drops a frame over its
    /// jute.maxbuffer, 1 MB by default, and the connection with it).
    /// </summary>
    public static List<SetWatchesRequest> Batch(
        long relativeZxid, IReadOnlyList<string> data, IReadOnlyList<string> exist, IReadOnlyList<string> child, int maxBytes)
    {
        var requests = new List<SetWatchesRequest>();
        List<string> batchData = [], batchExist = [], batchChild = [];
        int batchBytes = 0;
        foreach ((IReadOnlyList<string> source, int table) in new[] { (data, 0), (exist, 1), (child, 2) })
        {
            foreach (string path in source)
            {
                int size = System.Text.Encoding.UTF8.GetByteCount(path) + 4;
                if (batchBytes > 0 && batchBytes + size > maxBytes)
                {
                    requests.Add(new SetWatchesRequest(relativeZxid, batchData, batchExist, batchChild));
                    (batchData, batchExist, batchChild, batchBytes) = ([], [], [], 0);
                }

                (table == 0 ? batchData : table == 1 ? batchExist : batchChild).Add(path);
                batchBytes += size;
            }
        }

        if (batchBytes > 0)
        {
            requests.Add(new SetWatchesRequest(relativeZxid, batchData, batchExist, batchChild));
        }

        return requests;
    }
}
