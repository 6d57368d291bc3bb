namespace KafkaSharp.Integration.Tests.Support;

/// <summary>One server shared by the tests of a class; each test uses its own topics.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerHost? _host;

    public ServerHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    public string BootstrapServers => Host.BootstrapServers;

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        // A 1 MiB record needs more than the default message.max.bytes (1 MiB plus batch overhead).
        _host = await ServerHost.StartAsync("message.max.bytes=4194304");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
