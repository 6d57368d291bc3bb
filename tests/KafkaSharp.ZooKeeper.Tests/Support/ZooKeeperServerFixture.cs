namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>
/// One standalone ZooKeeper shared by every test of a collection (JVM start-up costs seconds). Tests keep to
/// paths of their own (see <see cref="UniquePath"/>), so sharing the server does not couple them.
/// </summary>
public sealed class ZooKeeperServerFixture : IAsyncLifetime
{
    private ZooKeeperServerProcess? _server;

    public ZooKeeperServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string ConnectString => Server.ConnectString;

    public async Task InitializeAsync() => _server = await ZooKeeperServerProcess.StartStandaloneAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh top-level path for one test.</summary>
    public static string UniquePath(string name) => $"/{name}-{Guid.NewGuid():N}";
}

[CollectionDefinition(Name)]
public sealed class ZooKeeperServerCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "ZooKeeper server";
}
