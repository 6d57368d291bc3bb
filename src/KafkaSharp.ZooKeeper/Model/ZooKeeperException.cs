namespace KafkaSharp.ZooKeeper;

/// <summary>
/// A ZooKeeper operation failed with an error code. The common codes have their own subclasses
/// (<see cref="NoNodeException"/>, <see cref="NodeExistsException"/>, <see cref="BadVersionException"/>,
/// <see cref="NotEmptyException"/>, <see cref="SessionExpiredException"/>, <see cref="ConnectionLossException"/>);
/// every other code arrives as this base type with <see cref="Code"/> set.
/// </summary>
public class ZooKeeperException : Exception
{
    public ZooKeeperException()
        : this(ZooKeeperErrorCode.SystemError, null, null, null)
    {
    }

    public ZooKeeperException(string message)
        : this(ZooKeeperErrorCode.SystemError, null, message, null)
    {
    }

    public ZooKeeperException(string message, Exception innerException)
        : this(ZooKeeperErrorCode.SystemError, null, message, innerException)
    {
    }

    public ZooKeeperException(ZooKeeperErrorCode code, string? path, string? message = null, Exception? innerException = null)
        : base(message ?? DescribeCode(code, path), innerException)
    {
        Code = code;
        Path = path;
    }

    /// <summary>The server's error code.</summary>
    public ZooKeeperErrorCode Code { get; }

    /// <summary>The path the failed operation named, as the caller gave it (relative to any chroot).</summary>
    public string? Path { get; }

    /// <summary>
    /// For a failed <see cref="ZooKeeperClient.MultiAsync"/>: the result of every operation (the failing one an
    /// <see cref="ZooKeeperOpResult.Error"/> with this exception's code, the others errors too, since none applied).
    /// </summary>
    public IReadOnlyList<ZooKeeperOpResult>? MultiResults { get; init; }

    /// <summary>For a failed multi: the index of the operation whose error this exception carries.</summary>
    public int? FailedOperationIndex { get; init; }

    /// <summary>Builds the most specific exception type for a server error code.</summary>
    public static ZooKeeperException Create(ZooKeeperErrorCode code, string? path) => code switch
    {
        ZooKeeperErrorCode.NoNode => new NoNodeException(path),
        ZooKeeperErrorCode.NodeExists => new NodeExistsException(path),
        ZooKeeperErrorCode.BadVersion => new BadVersionException(path),
        ZooKeeperErrorCode.NotEmpty => new NotEmptyException(path),
        ZooKeeperErrorCode.SessionExpired => new SessionExpiredException(path),
        ZooKeeperErrorCode.ConnectionLoss => new ConnectionLossException(path),
        _ => new ZooKeeperException(code, path),
    };

    /// <summary>The same error with the results of a failed multi attached.</summary>
    internal static ZooKeeperException ForMulti(ZooKeeperErrorCode code, string? path, IReadOnlyList<ZooKeeperOpResult> results, int index) => code switch
    {
        ZooKeeperErrorCode.NoNode => new NoNodeException(path) { MultiResults = results, FailedOperationIndex = index },
        ZooKeeperErrorCode.NodeExists => new NodeExistsException(path) { MultiResults = results, FailedOperationIndex = index },
        ZooKeeperErrorCode.BadVersion => new BadVersionException(path) { MultiResults = results, FailedOperationIndex = index },
        ZooKeeperErrorCode.NotEmpty => new NotEmptyException(path) { MultiResults = results, FailedOperationIndex = index },
        _ => new ZooKeeperException(code, path) { MultiResults = results, FailedOperationIndex = index },
    };

    private static string DescribeCode(ZooKeeperErrorCode code, string? path) =>
        path is null ? $"ZooKeeper error {code} ({(int)code})." : $"ZooKeeper error {code} ({(int)code}) for {path}.";
}
