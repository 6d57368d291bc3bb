using System.Diagnostics;
using System.Net;
using System.Globalization;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>
/// A real ZooKeeper ensemble of <c>n</c> servers on loopback (server.N lines, a myid per data folder), started
/// together and ready once every member reports leader or follower. Disposing kills them all.
/// </summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    private ZooKeeperEnsemble(IReadOnlyList<ZooKeeperServerProcess> servers) => Servers = servers;

    public IReadOnlyList<ZooKeeperServerProcess> Servers { get; }

    /// <summary>Every member's client address, comma-separated.</summary>
    public string ConnectString => string.Join(',', Servers.Select(s => s.ConnectString));

    public static async Task<ZooKeeperEnsemble> StartAsync(int size = 3, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        int[] ports = FreePorts.Take(size * 3);
        var quorum = new List<string>();
        for (int i = 0; i < size; i++)
        {
            quorum.Add(string.Create(CultureInfo.InvariantCulture, $"server.{i + 1}=127.0.0.1:{ports[(size * 1) + i]}:{ports[(size * 2) + i]}"));
        }

        var servers = new List<ZooKeeperServerProcess>();
        for (int i = 0; i < size; i++)
        {
            servers.Add(ZooKeeperServerProcess.Launch(ports[i], quorum, myId: i + 1));
        }

        var ensemble = new ZooKeeperEnsemble(servers);
        try
        {
            await ensemble.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(60), cancellationToken);
            return ensemble;
        }
        catch
        {
            await ensemble.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every live member serves as leader or follower.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        foreach (ZooKeeperServerProcess server in Servers.Where(s => !s.HasExited))
        {
            TimeSpan left = timeout - clock.Elapsed;
            await server.WaitUntilServingAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        }
    }

    /// <summary>The member whose client port a client is connected to.</summary>
    public ZooKeeperServerProcess ServerAt(EndPoint endPoint) =>
        Servers.Single(s => endPoint is IPEndPoint ip && ip.Port == s.ClientPort);

    public async ValueTask DisposeAsync()
    {
        foreach (ZooKeeperServerProcess server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
