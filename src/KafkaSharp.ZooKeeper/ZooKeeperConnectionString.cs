namespace KafkaSharp.ZooKeeper;

/// <summary>One ensemble member to try.</summary>
public sealed record ZooKeeperHost(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// A connect string as ZooKeeper and Kafka write it: comma-separated <c>host:port</c> pairs (port 2181 when left
/// out, IPv6 hosts in brackets), optionally followed by a chroot, e.g. <c>zk1:2181,zk2:2181/kafka</c>. With a chroot
/// every path the client uses is relative to it; the chroot node itself must already exist.
/// </summary>
public sealed record ZooKeeperConnectionString(IReadOnlyList<ZooKeeperHost> Hosts, string? Chroot)
{
    public const int DefaultPort = 2181;

    public static ZooKeeperConnectionString Parse(string connectString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectString);

        string hostPart = connectString;
        string? chroot = null;
        int slash = connectString.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            hostPart = connectString[..slash];
            chroot = connectString[slash..];
            if (chroot == "/")
            {
                chroot = null;
            }
            else
            {
                ZNodePath.Validate(chroot);
            }
        }

        var hosts = new List<ZooKeeperHost>();
        foreach (string entry in hostPart.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            hosts.Add(ParseHost(entry, connectString));
        }

        if (hosts.Count == 0)
        {
            throw new ArgumentException($"The connect string \"{connectString}\" names no host.", nameof(connectString));
        }

        return new ZooKeeperConnectionString(hosts, chroot);
    }

    public override string ToString() => string.Join(',', Hosts) + (Chroot ?? string.Empty);

    private static ZooKeeperHost ParseHost(string entry, string connectString)
    {
        string host = entry;
        string? port = null;
        if (entry.StartsWith('['))
        {
            int close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Unclosed '[' in \"{entry}\" of \"{connectString}\".", nameof(connectString));
            }

            host = entry[1..close];
            if (close + 1 < entry.Length)
            {
                if (entry[close + 1] != ':')
                {
                    throw new ArgumentException($"Expected ':' after ']' in \"{entry}\".", nameof(connectString));
                }

                port = entry[(close + 2)..];
            }
        }
        else
        {
            int colon = entry.LastIndexOf(':');
            if (colon >= 0)
            {
                host = entry[..colon];
                port = entry[(colon + 1)..];
            }
        }

        int portNumber = DefaultPort;
        if (port is not null && (!int.TryParse(port, out portNumber) || portNumber is <= 0 or > 65535))
        {
            throw new ArgumentException($"Bad port in \"{entry}\" of \"{connectString}\".", nameof(connectString));
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"Empty host in \"{connectString}\".", nameof(connectString));
        }

        return new ZooKeeperHost(host, portNumber);
    }
}
