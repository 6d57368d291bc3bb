namespace KafkaSharp.ZooKeeper;

/// <summary>The node does not exist (or, for create, its parent does not).</summary>
public sealed class NoNodeException : ZooKeeperException
{
    public NoNodeException()
        : this(path: null)
    {
    }

    public NoNodeException(string? path)
        : base(ZooKeeperErrorCode.NoNode, path)
    {
    }

    public NoNodeException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.NoNode, null, message, innerException)
    {
    }
}

/// <summary>A create named a node that already exists.</summary>
public sealed class NodeExistsException : ZooKeeperException
{
    public NodeExistsException()
        : this(path: null)
    {
    }

    public NodeExistsException(string? path)
        : base(ZooKeeperErrorCode.NodeExists, path)
    {
    }

    public NodeExistsException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.NodeExists, null, message, innerException)
    {
    }
}

/// <summary>The expected version did not match the node's version (a failed compare-and-set).</summary>
public sealed class BadVersionException : ZooKeeperException
{
    public BadVersionException()
        : this(path: null)
    {
    }

    public BadVersionException(string? path)
        : base(ZooKeeperErrorCode.BadVersion, path)
    {
    }

    public BadVersionException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.BadVersion, null, message, innerException)
    {
    }
}

/// <summary>A delete named a node that still has children.</summary>
public sealed class NotEmptyException : ZooKeeperException
{
    public NotEmptyException()
        : this(path: null)
    {
    }

    public NotEmptyException(string? path)
        : base(ZooKeeperErrorCode.NotEmpty, path)
    {
    }

    public NotEmptyException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.NotEmpty, null, message, innerException)
    {
    }
}

/// <summary>
/// The session is gone: the ensemble expired it (or it was closed). Its ephemeral nodes and watches are gone too;
/// the client is finished and a new one must be connected.
/// </summary>
public sealed class SessionExpiredException : ZooKeeperException
{
    public SessionExpiredException()
        : this(path: null)
    {
    }

    public SessionExpiredException(string? path, string? message = null)
        : base(ZooKeeperErrorCode.SessionExpired, path, message)
    {
    }

    public SessionExpiredException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.SessionExpired, null, message, innerException)
    {
    }
}

/// <summary>
/// The connection to the server was lost before the reply came. The operation may or may not have been applied;
/// the session is still alive and the client is reconnecting (to another ensemble member if there is one).
/// </summary>
public sealed class ConnectionLossException : ZooKeeperException
{
    public ConnectionLossException()
        : this(path: null)
    {
    }

    public ConnectionLossException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.ConnectionLoss, path, message, innerException)
    {
    }

    public ConnectionLossException(string message, Exception innerException)
        : base(ZooKeeperErrorCode.ConnectionLoss, null, message, innerException)
    {
    }
}
