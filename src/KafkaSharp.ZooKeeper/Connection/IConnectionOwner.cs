using System.Threading.Channels;

namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>
/// What a connection needs from the session it serves: the queue of requests to send, xids, and somewhere to report
/// zxids, watch registrations and notifications. The session outlives its connections; each connection only
/// carries its traffic for a while.
/// </summary>
internal interface IConnectionOwner
{
    /// <summary>Requests waiting to be sent. Only one connection reads it at a time.</summary>
    ChannelReader<Packet> Outgoing { get; }

    /// <summary>The next xid: positive and increasing for the life of the session, across connections.</summary>
    int NextXid();

    /// <summary>A reply carried this zxid; the session remembers the highest, to resume on a server at least as current.</summary>
    void OnZxid(long zxid);

    /// <summary>A watching read's reply arrived with this error; register its watch if the rules say so.</summary>
    void OnWatchReply(WatchRegistration registration, ZooKeeperErrorCode err);

    /// <summary>The server pushed a watch notification for a server path.</summary>
    void OnNotification(WatchEventType type, string serverPath);
}

/// <summary>The timings a connection keeps, derived from the negotiated session timeout.</summary>
/// <param name="ReadTimeout">Give up on a server silent this long (two thirds of the session timeout).</param>
/// <param name="PingInterval">Ping after sending nothing this long (half the read timeout, a third of the session timeout).</param>
internal readonly record struct ConnectionTimings(TimeSpan ReadTimeout, TimeSpan PingInterval)
{
    public static ConnectionTimings ForSessionTimeout(TimeSpan sessionTimeout)
    {
        TimeSpan read = sessionTimeout * 2 / 3;
        return new ConnectionTimings(read, read / 2);
    }
}
