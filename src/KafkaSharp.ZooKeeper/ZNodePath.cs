namespace KafkaSharp.ZooKeeper;

/// <summary>Checks node paths the way the server would, and moves them in and out of a chroot.</summary>
internal static class ZNodePath
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the path is absolute, has no empty, "." or ".." segment, no NUL,
    /// and no trailing slash (a sequential create may end in one: the server then names the node by the counter alone).
    /// </summary>
    public static void Validate(string path, bool sequential = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? problem = Problem(path, sequential);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid ZooKeeper path \"{path}\": {problem}.", nameof(path));
        }
    }

    /// <summary>The server's path for a client path: the chroot in front, "/" itself becoming the chroot.</summary>
    public static string ToServer(string? chroot, string clientPath) =>
        chroot is null ? clientPath : clientPath == "/" ? chroot : chroot + clientPath;

    /// <summary>The client's path for a server path: the chroot removed, the chroot itself becoming "/".</summary>
    public static string ToClient(string? chroot, string serverPath)
    {
        if (chroot is null)
        {
            return serverPath;
        }

        if (serverPath == chroot)
        {
            return "/";
        }

        return serverPath.Length > chroot.Length && serverPath.StartsWith(chroot, StringComparison.Ordinal) && serverPath[chroot.Length] == '/'
            ? serverPath[chroot.Length..]
            : serverPath;
    }

    private static string? Problem(string path, bool sequential)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return "it must start with '/'";
        }

        if (path.Length == 1)
        {
            return null;
        }

        if (path[^1] == '/' && !sequential)
        {
            return "it must not end with '/'";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "it contains a NUL character";
        }

        string[] segments = path.Split('/');
        for (int i = 1; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            if (segment.Length == 0 && !(last && sequential))
            {
                return "it has an empty segment";
            }

            if (segment is "." or "..")
            {
                return "relative segments are not allowed";
            }
        }

        return null;
    }
}
